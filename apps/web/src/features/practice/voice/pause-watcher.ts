/**
 * Tells, frame by frame, when a learner who is speaking goes quiet and when they speak again,
 * long before the detector is sure they have finished (it waits `speechEndQuietMs` for that).
 * The pause lets the server begin transcribing at once (voice-pause in docs/protocol.md), so the
 * learner's wait after they stop does not include the speech-to-text time.
 */
export class PauseWatcher {
  #speaking = false;
  #paused = false;

  constructor(
    private readonly thresholds: { speech: number; quiet: number },
    private readonly events: { onPause: () => void; onResume: () => void },
  ) {}

  /** Speech began (the detector's own start). */
  started(): void {
    this.#speaking = true;
    this.#paused = false;
  }

  /** The detector decided: speech ended, or it was no speech at all. */
  stopped(): void {
    this.#speaking = false;
    this.#paused = false;
  }

  /** One frame's probability of speech. */
  frame(isSpeech: number): void {
    if (!this.#speaking) return;
    if (!this.#paused && isSpeech < this.thresholds.quiet) {
      this.#paused = true;
      this.events.onPause();
    } else if (this.#paused && isSpeech >= this.thresholds.speech) {
      this.#paused = false;
      this.events.onResume();
    }
  }
}
