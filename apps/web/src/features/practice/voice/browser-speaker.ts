import type { PlayedReport } from "./speech-player.ts";
import { completeSentences } from "./sentences.ts";

interface SpokenTurn {
  seq: number;
  text: string;
  /** Where the text not yet given to the synthesiser starts. */
  queuedTo: number;
  /** Utterances given to the synthesiser and not yet finished. */
  waiting: number;
  /** The reply's text is complete. */
  complete: boolean;
  /** How far the learner has heard: the end of the last sentence spoken through, or the last word boundary within one. */
  heard: number;
  playedMs: number;
  /** When the sentence now being spoken started (performance.now()), or null between sentences. */
  speakingSince: number | null;
}

/**
 * Speaks the persona's replies with the browser's own speech synthesis, where the server has no
 * text-to-speech: sentence by sentence as the reply's text streams in, in the persona's voice if
 * the browser has one by that name. Reports each turn like the audio player does.
 */
export class BrowserSpeaker {
  private turn: SpokenTurn | null = null;
  private readonly voice: SpeechSynthesisVoice | null;

  constructor(
    personaVoice: string | undefined,
    private readonly onPlayed: (report: PlayedReport) => void,
    private readonly onPlayingChange: (playing: boolean) => void,
  ) {
    const wanted = personaVoice?.toLowerCase();
    this.voice = wanted ? (speechSynthesis.getVoices().find((voice) => voice.name.toLowerCase() === wanted) ?? null) : null;
  }

  get playing(): boolean {
    return this.turn !== null;
  }

  get seq(): number | null {
    return this.turn?.seq ?? null;
  }

  /** A new reply (`reply-start`), or a committed turn to speak whole (the opening line). */
  begin(seq: number, text = "", complete = false): void {
    if (this.turn) this.finish(this.turn, false);
    const turn: SpokenTurn = { seq, text: "", queuedTo: 0, waiting: 0, complete: false, heard: 0, playedMs: 0, speakingSince: null };
    this.turn = turn;
    this.onPlayingChange(true);
    this.update(seq, text, complete);
    // Some synthesisers drop an utterance without an end or an error: once the reply is complete
    // and nothing is speaking or queued, the turn is over whatever the events said.
    const watch = window.setInterval(() => {
      if (this.turn !== turn) window.clearInterval(watch);
      else if (turn.complete && !speechSynthesis.speaking && !speechSynthesis.pending) this.finish(turn, false);
    }, 1_000);
  }

  /** The reply's text so far (`reply-delta`s joined), or all of it (`reply-end`). */
  update(seq: number, text: string, complete: boolean): void {
    const turn = this.turn;
    if (!turn || turn.seq !== seq) return;
    turn.text = text;
    turn.complete = complete;
    for (const sentence of completeSentences(text, turn.queuedTo, complete)) {
      this.say(turn, sentence.from, sentence.to);
      turn.queuedTo = sentence.to;
    }
    if (complete) turn.queuedTo = text.length;
    if (complete && turn.waiting === 0) this.finish(turn, false);
  }

  /** The learner may be starting to speak: the synthesiser stops where it is. */
  hold(): void {
    if (this.turn) speechSynthesis.pause();
  }

  /** It was not speech, or not for long: on from where it stopped. */
  release(): void {
    if (this.turn) speechSynthesis.resume();
  }

  /** Stops speaking the turn now (the learner spoke over it) and reports what was heard. */
  stop(): PlayedReport | null {
    const turn = this.turn;
    if (!turn) return null;
    return this.finish(turn, true);
  }

  close(): void {
    this.turn = null;
    speechSynthesis.cancel();
  }

  private say(turn: SpokenTurn, from: number, to: number): void {
    const utterance = new SpeechSynthesisUtterance(turn.text.slice(from, to));
    if (this.voice) utterance.voice = this.voice;
    utterance.onstart = () => {
      turn.speakingSince = performance.now();
    };
    utterance.onboundary = (event) => {
      turn.heard = Math.max(turn.heard, from + event.charIndex);
    };
    const done = () => {
      if (turn.speakingSince !== null) turn.playedMs += performance.now() - turn.speakingSince;
      turn.speakingSince = null;
      turn.heard = Math.max(turn.heard, to);
      turn.waiting -= 1;
      if (turn.complete && turn.waiting === 0 && this.turn === turn) this.finish(turn, false);
    };
    utterance.onend = done;
    utterance.onerror = done;
    turn.waiting += 1;
    speechSynthesis.speak(utterance);
  }

  private finish(turn: SpokenTurn, stopped: boolean): PlayedReport {
    if (this.turn === turn) {
      this.turn = null;
      this.onPlayingChange(false);
    }
    if (turn.speakingSince !== null) turn.playedMs += performance.now() - turn.speakingSince;
    turn.speakingSince = null;
    if (stopped) speechSynthesis.cancel();
    const report: PlayedReport = stopped
      ? { seq: turn.seq, playedMs: Math.round(turn.playedMs), heardChars: turn.heard, stopped: true }
      : { seq: turn.seq, playedMs: Math.round(turn.playedMs), stopped: false };
    this.onPlayed(report);
    return report;
  }
}
