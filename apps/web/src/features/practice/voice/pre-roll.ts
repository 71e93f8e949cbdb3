/**
 * The last moments of microphone audio, kept while no utterance is open: speech is detected a
 * little after it starts (and a barge-in only after 300 ms of it), so the frames from just before
 * are sent first and the first syllable is not lost.
 */
export class PreRoll {
  private frames: { at: number; data: ArrayBuffer }[] = [];

  constructor(private readonly keepMs: number) {}

  push(data: ArrayBuffer, at: number): void {
    this.frames.push({ at, data });
    const oldest = at - this.keepMs;
    while ((this.frames[0]?.at ?? oldest) < oldest) this.frames.shift();
  }

  /** The frames captured at `since` or later, oldest first; the store is emptied. */
  takeSince(since: number): ArrayBuffer[] {
    const taken = this.frames.filter((frame) => frame.at >= since).map((frame) => frame.data);
    this.frames = [];
    return taken;
  }
}
