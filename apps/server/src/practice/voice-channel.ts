import { SentenceCutter, type SpokenSentence, type TurnSpeech } from "@spar/domain";
import { AudioQueue, type OpenAiSpeechToText, type OpenAiTextToSpeech, realtimeSampleRate, type SpokenAudio, wavFile } from "@spar/llm";
import type { ServerMessage, SocketErrorCode } from "@spar/protocol";

// One connection's voice: the learner's speech in (binary frames between voice-start and
// voice-end, transcribed into a turn), the persona's replies out (each sentence spoken as soon as
// it is complete, its audio sent as binary frames). The socket route owns the session and its
// turns; this only turns audio into words and words into audio. docs/protocol.md, "Speaking".

export interface VoiceChannelOptions {
  speechToText: Pick<OpenAiSpeechToText, "transcribe"> | null;
  /**
   * What transcribes the words so far while the learner speaks, where it is not `speechToText`
   * (the Realtime engine hears a turn once it is over; an STT endpoint beside it gives the words
   * as they come). Null: no interim words.
   */
  interimSpeechToText?: Pick<OpenAiSpeechToText, "transcribe"> | null;
  /** Null: the client speaks the replies itself. */
  textToSpeech: Pick<OpenAiTextToSpeech, "speak"> | null;
  send: (message: ServerMessage) => void;
  /** The session this connection is on, for the messages' sessionId. */
  sessionId: () => string;
  sendAudio: (bytes: Uint8Array) => void;
  /** How often the words so far are sent while the learner speaks; 0 for never. */
  interimMs: number;
  /** An utterance longer than this is dropped. */
  maxUtteranceMs: number;
  /** The persona's voice (the scenario's), or the server's default when undefined. */
  personaVoice: () => string | undefined;
  onError: (error: unknown, what: string) => void;
  /** Milliseconds since the epoch; a test may set the time. */
  now?: () => number;
  /** Told each stage of a spoken reply's way out, for the latency figures (bench/). */
  onStage?: (stage: SpeechStage, seq: number) => void;
  /**
   * How far ahead of real time the persona's audio is sent: speech arrives from the provider far
   * faster than it plays, and sent all at once it would crowd out every other connection's frames
   * on this process (bench/README.md, "Voice beside text"). Enough ahead to ride out the network's
   * jitter; what is never played (after a barge-in) is never sent.
   */
  leadMs: number;
  /** Given each persona turn's audio as it was sent (raw PCM only), where the server keeps audio. */
  onPersonaAudio?: (seq: number, wav: Buffer) => void;
}

export type SpeechStage = "sentence-ready" | "tts-first-byte" | "audio-sent";

export type Failed = { ok: false; code: SocketErrorCode; message: string };
/** `wav`: the speech as it was transcribed, for keeping where the server keeps audio. */
export type Heard = { ok: true; clientMessageId: string; text: string; speech: TurnSpeech; review: boolean; wav: Buffer };

interface Utterance {
  clientMessageId: string;
  sampleRate: number;
  review: boolean;
  chunks: Buffer[];
  bytes: number;
  /** A transcription of the speech so far, while one is under way. */
  interim: AbortController | null;
  /** How many bytes the last interim transcription heard. */
  interimBytes: number;
  timer: NodeJS.Timeout | null;
  /**
   * Transcribed from the moment the learner paused (voice-pause), while the client's detector
   * waits to be sure they have finished: used at voice-end unless they spoke again (voice-resume).
   */
  early: { bytes: number; endedAt: number; wav: Buffer; heard: Promise<Awaited<ReturnType<OpenAiSpeechToText["transcribe"]>>> } | null;
}

/** A persona turn being spoken: its sentences as they are cut, and whether more may come. */
interface SpokenTurn {
  seq: number;
  cutter: SentenceCutter;
  /** The reply's text so far, leading blanks left out (the committed text is trimmed). */
  said: string;
  sentences: { sentence: SpokenSentence; audio: Promise<SpokenAudio> | null }[];
  complete: boolean;
  /** Every sentence has been sent, or it was stopped. */
  finished: boolean;
  stopped: AbortController;
  /** Wakes the speaker when a sentence is added or the turn completes. */
  changed: () => void;
  /** Spoken by the persona engine itself (Realtime): how much of its audio has come, in milliseconds. */
  engine: { audioMs: number } | null;
}

/** How long `bytes` of 16-bit mono PCM play at `sampleRate`. */
const pcmMs = (bytes: number, sampleRate: number) => (bytes / 2 / sampleRate) * 1000;

/** An utterance holds at most this much audio whatever its sample rate (two minutes at 16 kHz). */
const maxUtteranceBytes = 2 * 60 * 16_000 * 2;

/** Turns remembered after they were spoken, so a late frame of one is not spoken again. */
const turnsRemembered = 8;

/** Speech the learner reviews before sending: its times, kept until the turn comes (ten minutes at most). */
const reviewKeptMs = 10 * 60_000;

export class VoiceChannel {
  #on = false;
  #utterance: Utterance | null = null;
  #reviewed = new Map<string, { speech: TurnSpeech; wav: Buffer; until: number }>();
  /** The turn being assembled from streamed frames, and every turn still to be spoken, in order. */
  #turns = new Map<number, SpokenTurn>();
  #speaking: Promise<void> = Promise.resolve();
  /** Told once per utterance that audio came without one. */
  #toldNoUtterance = false;
  readonly #now: () => number;

  constructor(private readonly options: VoiceChannelOptions) {
    this.#now = options.now ?? Date.now;
  }

  get on(): boolean {
    return this.#on;
  }

  /** Speaks the persona's replies on this connection, or stops. */
  setMode(on: boolean): void {
    this.#on = on;
    if (!on) for (const turn of this.#turns.values()) this.#stop(turn);
  }

  // ---- The learner's speech ----

  start(message: { clientMessageId: string; sampleRate: number; review?: boolean }): Failed | null {
    if (!this.options.speechToText) return { ok: false, code: "VOICE_UNAVAILABLE", message: "This server has no speech-to-text service." };
    this.#drop();
    const utterance: Utterance = {
      clientMessageId: message.clientMessageId,
      sampleRate: message.sampleRate,
      review: message.review ?? false,
      chunks: [],
      bytes: 0,
      interim: null,
      interimBytes: 0,
      timer: null,
      early: null,
    };
    this.#interimEvery(utterance);
    this.#utterance = utterance;
    this.#toldNoUtterance = false;
    return null;
  }

  /** A binary frame: the open utterance's audio. */
  audio(bytes: Buffer): Failed | null {
    const utterance = this.#utterance;
    if (!utterance) {
      if (this.#toldNoUtterance) return null;
      this.#toldNoUtterance = true;
      return { ok: false, code: "VOICE_UNAVAILABLE", message: "Audio came with no voice-start before it; it was dropped." };
    }
    utterance.chunks.push(bytes);
    utterance.bytes += bytes.length;
    if (pcmMs(utterance.bytes, utterance.sampleRate) > this.options.maxUtteranceMs || utterance.bytes > maxUtteranceBytes) {
      this.#drop();
      return { ok: false, code: "SPEECH_TOO_LONG", message: `Speak for at most ${Math.round(this.options.maxUtteranceMs / 1000)} seconds at a time; that was dropped.` };
    }
    return null;
  }

  cancel(clientMessageId: string): void {
    if (this.#utterance?.clientMessageId === clientMessageId) this.#drop();
  }

  /**
   * The learner paused: what they said so far is transcribed now, so that when the client is sure
   * they have finished (voice-end, a few hundred milliseconds of silence later) the words are
   * ready or nearly so. The silence after the pause is not transcribed. Gives the words once
   * heard (null where nothing new is transcribed).
   */
  pause(clientMessageId: string): Promise<string> | null {
    const utterance = this.#utterance;
    const stt = this.options.speechToText;
    if (!utterance || utterance.clientMessageId !== clientMessageId || !stt || utterance.early) return null;
    if (utterance.timer) clearInterval(utterance.timer);
    utterance.timer = null;
    utterance.interim?.abort();
    const wav = wavFile(utterance.chunks, utterance.sampleRate);
    const heard = stt.transcribe(wav);
    heard.catch(() => {}); // read at voice-end; a failure is reported there
    utterance.early = { bytes: utterance.bytes, endedAt: this.#now(), wav, heard };
    return heard.then((transcription) => transcription.text);
  }

  /** The learner spoke again after a pause: the early transcription no longer holds every word. */
  resume(clientMessageId: string): void {
    const utterance = this.#utterance;
    if (!utterance || utterance.clientMessageId !== clientMessageId) return;
    utterance.early = null;
    this.#interimEvery(utterance);
  }

  /** Sends the words so far every interimMs while the learner speaks (where that is on). */
  #interimEvery(utterance: Utterance): void {
    if (this.options.interimMs <= 0 || utterance.timer) return;
    utterance.timer = setInterval(() => this.#interim(utterance), this.options.interimMs);
    utterance.timer.unref();
  }

  /** The learner stopped speaking: the words, and when they were said. */
  async end(clientMessageId: string): Promise<Heard | Failed> {
    const utterance = this.#utterance;
    if (!utterance || utterance.clientMessageId !== clientMessageId || !this.options.speechToText) {
      return { ok: false, code: "VOICE_UNAVAILABLE", message: "There is no speech open under that clientMessageId: send voice-start first." };
    }
    this.#drop();
    const early = utterance.early;
    // Without a pause, the speech ran up to voice-end; with one, up to the pause.
    const endedAt = early ? early.endedAt : this.#now();
    const durationMs = pcmMs(early ? early.bytes : utterance.bytes, utterance.sampleRate);
    const wav = early?.wav ?? wavFile(utterance.chunks, utterance.sampleRate);
    let heard: Awaited<ReturnType<OpenAiSpeechToText["transcribe"]>>;
    try {
      heard = await (early?.heard ?? this.options.speechToText.transcribe(wav));
    } catch (error) {
      this.options.onError(error, "a transcription failed");
      return { ok: false, code: "TRANSCRIPTION_FAILED", message: "Your speech could not be transcribed just now; nothing was saved. Say it again, or type it." };
    }
    if (!/[\p{L}\p{N}]/u.test(heard.text)) return { ok: false, code: "SPEECH_NOT_HEARD", message: "No words were heard in that; nothing was saved. Say it again." };
    // The audio ran up to voice-end; the speech, up to its last word where the words are timed.
    const startedAt = endedAt - durationMs;
    const lastWordEnd = heard.words.at(-1)?.endMs;
    const speech: TurnSpeech = {
      startedAt: new Date(startedAt),
      endedAt: new Date(startedAt + Math.min(durationMs, lastWordEnd ?? durationMs)),
      words: heard.words,
    };
    this.options.send({ type: "voice-transcript", sessionId: this.options.sessionId(), clientMessageId, text: heard.text, final: true });
    if (utterance.review) this.#keepForReview(clientMessageId, speech, wav);
    return { ok: true, clientMessageId, text: heard.text, speech, review: utterance.review, wav };
  }

  /** Speech reviewed before it was sent (its times and audio), for the turn sent under its id. */
  reviewedSpeech(clientMessageId: string): { speech: TurnSpeech; wav: Buffer } | undefined {
    const kept = this.#reviewed.get(clientMessageId);
    this.#reviewed.delete(clientMessageId);
    return kept && kept.until > this.#now() ? kept : undefined;
  }

  #keepForReview(clientMessageId: string, speech: TurnSpeech, wav: Buffer): void {
    const now = this.#now();
    for (const [id, kept] of this.#reviewed) if (kept.until <= now) this.#reviewed.delete(id);
    this.#reviewed.set(clientMessageId, { speech, wav, until: now + reviewKeptMs });
  }

  #drop(): void {
    const utterance = this.#utterance;
    if (!utterance) return;
    if (utterance.timer) clearInterval(utterance.timer);
    utterance.interim?.abort();
    this.#utterance = null;
  }

  /** The words so far, while the learner still speaks: one transcription at a time, only when there is more audio. */
  #interim(utterance: Utterance): void {
    const stt = this.options.interimSpeechToText === undefined ? this.options.speechToText : this.options.interimSpeechToText;
    if (!stt || utterance.interim || utterance.bytes === utterance.interimBytes || this.#utterance !== utterance) return;
    const controller = new AbortController();
    utterance.interim = controller;
    utterance.interimBytes = utterance.bytes;
    stt
      .transcribe(wavFile(utterance.chunks, utterance.sampleRate), { signal: controller.signal })
      .then((heard) => {
        if (this.#utterance === utterance && !controller.signal.aborted && heard.text !== "") {
          this.options.send({ type: "voice-transcript", sessionId: this.options.sessionId(), clientMessageId: utterance.clientMessageId, text: heard.text, final: false });
        }
      })
      .catch((error: unknown) => {
        if (!controller.signal.aborted) this.options.onError(error, "an interim transcription failed");
      })
      .finally(() => {
        utterance.interim = null;
      });
  }

  // ---- The persona's speech ----

  /** A frame of the session's reply, as this connection hears it: spoken sentence by sentence. */
  heard(message: ServerMessage): void {
    if (!this.#on || !this.options.textToSpeech) return;
    if (message.type === "reply-start") this.#turnOf(message.seq);
    else if (message.type === "reply-delta") this.#add(this.#turnOf(message.seq), message.text);
    else if (message.type === "reply-end" && message.turn.speaker === "persona") this.#complete(message.turn.seq, message.turn.text);
    // A reply that failed says nothing more: what was cut of it is spoken, and the next can follow.
    else if (message.type === "error") for (const turn of this.#turns.values()) this.#finishText(turn);
  }

  /**
   * Turn `seq` is spoken by the persona engine itself (the Realtime engine): its audio comes
   * through the handle as the reply is written, and goes out as one piece of speech whose words
   * are the turn's (speech-start's text is empty: they are not known when it starts). Words the
   * engine's audio never covered (a guarded reply's deflection) are spoken by text to speech.
   */
  voicedByEngine(seq: number): { audio: (pcm: Uint8Array) => void; end: () => void } {
    const turn = this.#turnOf(seq);
    const engine = { audioMs: 0 };
    const queue = new AudioQueue();
    turn.engine = engine;
    turn.sentences.push({ sentence: { text: "", from: 0, to: 0 }, audio: Promise.resolve({ format: "pcm", sampleRate: realtimeSampleRate, chunks: queue }) });
    turn.changed();
    return {
      audio: (pcm) => {
        engine.audioMs += pcmMs(pcm.byteLength, realtimeSampleRate);
        queue.push(pcm);
      },
      end: () => queue.end(),
    };
  }

  /**
   * How much of an engine-spoken turn the learner heard in `playedMs`: its words in the share of
   * its audio played (the engine's speech has no sentence times for the client to go by).
   * Undefined for a turn spoken sentence by sentence, where the client's count holds.
   */
  engineHeardChars(seq: number, playedMs: number): number | undefined {
    const turn = this.#turns.get(seq);
    if (!turn?.engine) return undefined;
    if (turn.engine.audioMs <= 0) return 0;
    return Math.round(turn.said.length * Math.min(1, Math.max(0, playedMs) / turn.engine.audioMs));
  }

  /** Speaks a committed persona turn from the start (the opening line, or one heard again). */
  speak(seq: number, text: string): void {
    if (!this.options.textToSpeech) return;
    const existing = this.#turns.get(seq);
    if (existing) this.#stop(existing);
    this.#complete(seq, text, this.#newTurn(seq));
  }

  /** The learner spoke over turn `seq`: nothing more of it is spoken or sent. */
  stop(seq: number): void {
    const turn = this.#turns.get(seq);
    if (turn) this.#stop(turn);
  }

  /**
   * The connection went on to another session: what it was speaking belongs to the last one, and
   * the new session's turns are numbered from 1 again, so none of the last one's is kept.
   */
  newSession(): void {
    for (const turn of this.#turns.values()) this.#stop(turn);
    this.#turns.clear();
  }

  /** The connection closed: every request stops. */
  close(): void {
    this.#drop();
    for (const turn of this.#turns.values()) this.#stop(turn);
  }

  #turnOf(seq: number): SpokenTurn {
    return this.#turns.get(seq) ?? this.#newTurn(seq);
  }

  #newTurn(seq: number): SpokenTurn {
    // A later reply began: an earlier one still open will get no more text (its end was lost).
    for (const earlier of this.#turns.values()) if (earlier.seq < seq) this.#finishText(earlier);
    let wake: () => void = () => {};
    const turn: SpokenTurn = {
      seq,
      cutter: new SentenceCutter(),
      said: "",
      sentences: [],
      complete: false,
      finished: false,
      stopped: new AbortController(),
      changed: () => wake(),
      engine: null,
    };
    const changes = () => new Promise<void>((resolve) => (wake = resolve));
    this.#turns.set(seq, turn);
    for (const old of [...this.#turns.values()].filter((each) => each.finished).slice(0, -turnsRemembered)) this.#turns.delete(old.seq);
    this.#speaking = this.#speaking.then(() => this.#speakTurn(turn, changes)).catch((error: unknown) => this.options.onError(error, "speaking a reply failed"));
    return turn;
  }

  #add(turn: SpokenTurn, text: string): void {
    if (turn.complete) return;
    const fresh = turn.said === "" ? text.trimStart() : text;
    if (fresh === "") return;
    turn.said += fresh;
    if (!turn.engine) this.#queue(turn, turn.cutter.push(fresh));
  }

  /** No more text will come for the turn: what is left of it is spoken. */
  #finishText(turn: SpokenTurn): void {
    if (turn.complete) return;
    if (!turn.engine) this.#queue(turn, turn.cutter.finish());
    turn.complete = true;
    turn.changed();
  }

  /** The turn is committed: what is left is spoken, or all of it anew if the stored words differ (a guarded reply). */
  #complete(seq: number, text: string, known?: SpokenTurn): void {
    const turn = known ?? this.#turnOf(seq);
    if (turn.complete) return;
    if (turn.engine && text === turn.said.trimEnd()) {
      // The engine spoke it all.
    } else if (text.startsWith(turn.said) && !turn.engine) {
      const rest = text.slice(turn.said.length);
      turn.said = text;
      this.#queue(turn, [...turn.cutter.push(rest), ...turn.cutter.finish()]);
    } else {
      // The stored reply is not what streamed: speak no more of the streamed one, then the stored one.
      for (const pending of turn.sentences) pending.audio = null;
      const cutter = new SentenceCutter();
      this.#queue(turn, [...cutter.push(text), ...cutter.finish()]);
    }
    turn.complete = true;
    turn.changed();
  }

  #queue(turn: SpokenTurn, sentences: SpokenSentence[]): void {
    const tts = this.options.textToSpeech;
    if (!tts || sentences.length === 0) return;
    for (const sentence of sentences) {
      this.options.onStage?.("sentence-ready", turn.seq);
      // Asked for at once, so the next sentence's audio is ready when the one before has played.
      const audio = tts.speak(sentence.text, { voice: this.options.personaVoice(), signal: turn.stopped.signal });
      audio.catch(() => {}); // read in order by the speaker; a failure is reported there
      turn.sentences.push({ sentence, audio });
    }
    turn.changed();
  }

  #stop(turn: SpokenTurn): void {
    turn.stopped.abort();
    turn.complete = true;
    turn.changed();
  }

  /** Sends one turn's sentences in order, each as speech-start, audio frames, speech-end. */
  async #speakTurn(turn: SpokenTurn, changes: () => Promise<void>): Promise<void> {
    const waitFor = async (ready: () => boolean) => {
      while (!ready()) await changes();
    };
    // Pacing: how much audio of the turn has been sent, in milliseconds of playing, since when.
    const pace = { startedAt: 0, sentMs: 0 };
    // What was sent of the turn, where it is kept: raw PCM at one rate.
    const kept: { pcm: Buffer[]; sampleRate: number | null; whole: boolean } = { pcm: [], sampleRate: null, whole: Boolean(this.options.onPersonaAudio) };
    const keep = () => {
      if (!kept.whole || !kept.sampleRate || kept.pcm.length === 0) return;
      this.options.onPersonaAudio?.(turn.seq, wavFile(kept.pcm, kept.sampleRate));
    };
    try {
      for (let index = 0; ; index++) {
        await waitFor(() => turn.sentences.length > index || turn.complete);
        const next = turn.sentences[index];
        if (!next || turn.stopped.signal.aborted) return;
        if (!next.audio) continue;
        let audio: SpokenAudio;
        try {
          audio = await next.audio;
        } catch (error) {
          if (!turn.stopped.signal.aborted) this.options.onError(error, "a sentence could not be spoken");
          return;
        }
        let first = true;
        let odd: Buffer | null = null;
        this.options.send({ type: "speech-start", sessionId: this.options.sessionId(), seq: turn.seq, index, text: next.sentence.text, from: next.sentence.from, to: next.sentence.to, format: audio.format, sampleRate: audio.sampleRate });
        for await (const chunk of audio.chunks) {
          if (turn.stopped.signal.aborted) return;
          if (first) this.options.onStage?.("tts-first-byte", turn.seq);
          // PCM goes out in whole samples: a byte left over waits for the next chunk.
          let bytes = Buffer.from(chunk);
          if (audio.format === "pcm") {
            if (odd) bytes = Buffer.concat([odd, bytes]);
            odd = bytes.length % 2 === 1 ? bytes.subarray(bytes.length - 1) : null;
            if (odd) bytes = bytes.subarray(0, bytes.length - 1);
          }
          if (pace.startedAt === 0) pace.startedAt = this.#now();
          const ahead = pace.sentMs - (this.#now() - pace.startedAt);
          if (ahead > this.options.leadMs) {
            await new Promise((resolve) => setTimeout(resolve, ahead - this.options.leadMs));
            if (turn.stopped.signal.aborted) return;
          }
          if (bytes.length > 0) this.options.sendAudio(bytes);
          pace.sentMs += pcmMs(bytes.length, audio.sampleRate);
          if (kept.whole && audio.format === "pcm" && (kept.sampleRate ?? audio.sampleRate) === audio.sampleRate) {
            kept.sampleRate = audio.sampleRate;
            kept.pcm.push(bytes);
          } else kept.whole = false;
          if (first) this.options.onStage?.("audio-sent", turn.seq);
          first = false;
        }
        // Whether this was the last sentence is known once another follows or the reply is complete.
        await waitFor(() => turn.sentences.length > index + 1 || turn.complete);
        if (turn.stopped.signal.aborted) return;
        this.options.send({ type: "speech-end", sessionId: this.options.sessionId(), seq: turn.seq, index, last: turn.sentences.length === index + 1 });
      }
    } finally {
      turn.finished = true;
      keep();
    }
  }
}
