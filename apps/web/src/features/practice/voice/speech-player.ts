import type { ServerMessage } from "@spar/protocol";
import { Pcm16Reader } from "./pcm.ts";
import { heardChars, playedMs, type TimedSentence } from "./speech-timeline.ts";

type SpeechStart = Extract<ServerMessage, { type: "speech-start" }>;
type SpeechEnd = Extract<ServerMessage, { type: "speech-end" }>;

/** What `speech-played` reports for a persona turn. */
export interface PlayedReport {
  seq: number;
  playedMs: number;
  heardChars?: number;
  stopped: boolean;
}

/** A sentence whose audio is arriving. */
interface Arriving {
  message: SpeechStart;
  timed: TimedSentence | null;
  reader: Pcm16Reader;
  wavParts: Uint8Array[];
}

/** A piece of audio and where it starts on the player's own clock (the audio clock less the time held). */
interface Piece {
  buffer: AudioBuffer;
  startsAt: number;
}

interface TurnPlayback {
  seq: number;
  /** Timed on the player's own clock. */
  sentences: TimedSentence[];
  /** The pieces playing or scheduled, by the node that plays each. */
  sources: Map<AudioBufferSourceNode, Piece>;
  /** Its last sentence has arrived (`speech-end` with `last`). */
  complete: boolean;
}

/**
 * Plays the persona's spoken replies as the server sends them, without gaps: every piece of audio
 * is scheduled on one AudioContext right after the one before (or now, if the player has run dry).
 * Knows, per turn, where each sentence played, so a turn played through or stopped is reported
 * with how long it played and how much of its text was heard.
 *
 * The player keeps its own clock: the audio clock less the time it was held. Holding stops every
 * piece at once and keeps what was left of it; releasing plays on from exactly there, so a turn
 * held while the learner said "mm-hm" loses nothing, and its timings never count the hold.
 */
export class SpeechPlayer {
  private readonly output: GainNode;
  private nextStartTime = 0;
  private arriving: Arriving | null = null;
  private turn: TurnPlayback | null = null;
  /** Turns stopped by the learner: whatever still comes for them is dropped. */
  private readonly dropped = new Set<number>();
  /** Seconds the player was held before now, and when the hold going on began (audio clock). */
  private heldFor = 0;
  private heldAt: number | null = null;
  /** While held: what was still to play, in order. */
  private heldPieces: Piece[] = [];
  /** Scheduling waits for WAV sentences to decode, so sentences always play in order. */
  private work: Promise<void> = Promise.resolve();

  constructor(
    private readonly context: AudioContext,
    private readonly onPlayed: (report: PlayedReport) => void,
    private readonly onPlayingChange: (playing: boolean) => void,
  ) {
    this.output = context.createGain();
    this.output.connect(context.destination);
  }

  /** A turn is playing or has audio still to come. */
  get playing(): boolean {
    return this.turn !== null;
  }

  /** The persona turn being spoken, if any. */
  get seq(): number | null {
    return this.turn?.seq ?? null;
  }

  speechStart(message: SpeechStart): void {
    if (this.dropped.has(message.seq)) {
      this.arriving = null;
      return;
    }
    if (this.turn && this.turn.seq !== message.seq) this.finish(this.turn, false);
    if (!this.turn) {
      this.turn = { seq: message.seq, sentences: [], sources: new Map(), complete: false };
      this.onPlayingChange(true);
    }
    this.arriving = { message, timed: null, reader: new Pcm16Reader(), wavParts: [] };
  }

  audio(data: ArrayBuffer): void {
    const arriving = this.arriving;
    if (!arriving) return;
    const bytes = new Uint8Array(data);
    if (arriving.message.format === "wav") {
      arriving.wavParts.push(bytes);
      return;
    }
    const samples = arriving.reader.read(bytes);
    if (samples.length === 0) return;
    const buffer = this.context.createBuffer(1, samples.length, arriving.message.sampleRate);
    buffer.copyToChannel(samples, 0);
    this.enqueue(() => this.schedule(arriving, buffer));
  }

  speechEnd(message: SpeechEnd): void {
    const arriving = this.arriving;
    this.arriving = null;
    if (this.dropped.has(message.seq) || !arriving || arriving.message.seq !== message.seq) return;
    if (arriving.message.format === "wav" && arriving.wavParts.length > 0) {
      const joined = new Uint8Array(arriving.wavParts.reduce((length, part) => length + part.length, 0));
      let offset = 0;
      for (const part of arriving.wavParts) {
        joined.set(part, offset);
        offset += part.length;
      }
      const decoded = this.context.decodeAudioData(joined.buffer);
      this.enqueue(async () => this.schedule(arriving, await decoded));
    }
    if (message.last) {
      this.enqueue(() => {
        const turn = this.turn;
        if (!turn || turn.seq !== message.seq) return;
        turn.complete = true;
        if (turn.sources.size === 0 && this.heldAt === null) this.finish(turn, false);
      });
    }
  }

  /**
   * Stops the persona at once (the learner may be starting to speak), keeping what it had still to
   * say: `release` plays on from there, `stop` ends the turn as heard up to now.
   */
  hold(): void {
    if (this.heldAt !== null) return;
    this.heldAt = this.context.currentTime;
    const turn = this.turn;
    if (!turn) return;
    // In the order they were scheduled, which is the order they play.
    this.heldPieces = [...turn.sources.values()];
    for (const source of turn.sources.keys()) {
      source.onended = null;
      source.stop();
      source.disconnect();
    }
    turn.sources.clear();
  }

  /** Plays on from where `hold` stopped: it was not speech, or not for long. */
  release(): void {
    if (this.heldAt === null) return;
    this.heldFor += this.context.currentTime - this.heldAt;
    this.heldAt = null;
    const pieces = this.heldPieces;
    this.heldPieces = [];
    const turn = this.turn;
    if (!turn) return;
    for (const piece of pieces) this.start(turn, piece);
    if (turn.complete && turn.sources.size === 0) this.finish(turn, false);
  }

  /**
   * Stops the turn playing now (the learner spoke over it): every scheduled piece is stopped and
   * whatever else comes for it is dropped. Returns what was heard, or null if nothing was playing.
   */
  stop(): PlayedReport | null {
    const turn = this.turn;
    if (!turn) return null;
    this.dropped.add(turn.seq);
    this.arriving = null;
    const report = this.finish(turn, true);
    this.heldPieces = [];
    this.release();
    this.nextStartTime = this.now();
    return report;
  }

  /** Drops whatever comes for a turn spoken over before its speech began. */
  drop(seq: number): void {
    this.dropped.add(seq);
  }

  /** Stops everything and lets the context go (leaving voice practice). */
  close(): void {
    const turn = this.turn;
    if (turn) {
      this.dropped.add(turn.seq);
      for (const source of turn.sources.keys()) source.stop();
    }
    this.turn = null;
    this.heldPieces = [];
    this.output.disconnect();
  }

  private enqueue(step: () => void | Promise<void>): void {
    this.work = this.work.then(step).catch((error: unknown) => console.error("Could not play the persona's speech.", error));
  }

  /** Now on the player's own clock: it stands still while held. */
  private now(): number {
    return (this.heldAt ?? this.context.currentTime) - this.heldFor;
  }

  private schedule(arriving: Arriving, buffer: AudioBuffer): void {
    const turn = this.turn;
    if (!turn || turn.seq !== arriving.message.seq || this.dropped.has(turn.seq)) return;
    const startsAt = Math.max(this.now(), this.nextStartTime);
    const endsAt = startsAt + buffer.duration;
    this.nextStartTime = endsAt;
    if (!arriving.timed) {
      arriving.timed = { from: arriving.message.from, to: arriving.message.to, startsAt, endsAt };
      turn.sentences.push(arriving.timed);
    } else {
      arriving.timed.endsAt = endsAt;
    }
    // While held, it waits with the rest.
    if (this.heldAt !== null) this.heldPieces.push({ buffer, startsAt });
    else this.start(turn, { buffer, startsAt });
  }

  /** Plays a piece at its time on the player's clock, from part-way through if that time has passed. */
  private start(turn: TurnPlayback, piece: Piece): void {
    const startsAt = piece.startsAt + this.heldFor;
    const offset = Math.max(0, this.context.currentTime - startsAt);
    if (offset >= piece.buffer.duration) return;
    const source = this.context.createBufferSource();
    source.buffer = piece.buffer;
    source.connect(this.output);
    source.onended = () => {
      turn.sources.delete(source);
      source.disconnect();
      if (turn.complete && turn.sources.size === 0 && this.turn === turn && this.heldAt === null) this.finish(turn, false);
    };
    turn.sources.set(source, piece);
    source.start(startsAt + offset, offset);
  }

  private finish(turn: TurnPlayback, stopped: boolean): PlayedReport {
    // Held, nothing was heard after the hold began.
    const now = this.now();
    const report: PlayedReport = stopped
      ? { seq: turn.seq, playedMs: playedMs(turn.sentences, now), heardChars: heardChars(turn.sentences, now), stopped: true }
      : { seq: turn.seq, playedMs: playedMs(turn.sentences, now), stopped: false };
    if (stopped) {
      for (const source of turn.sources.keys()) {
        source.onended = null;
        source.stop();
        source.disconnect();
      }
      turn.sources.clear();
    }
    if (this.turn === turn) {
      this.turn = null;
      this.onPlayingChange(false);
    }
    this.onPlayed(report);
    return report;
  }
}
