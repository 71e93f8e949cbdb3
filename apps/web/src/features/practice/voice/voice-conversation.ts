import type { ClientMessage, TurnView, VoiceAvailability } from "@spar/protocol";
import { newMessageId } from "../message-id.ts";
import type { SocketEvent } from "../use-practice-socket.ts";
import { BrowserSpeaker } from "./browser-speaker.ts";
import captureWorkletUrl from "./capture.worklet.ts?worker&url";
import { PreRoll } from "./pre-roll.ts";
import { type PlayedReport, SpeechPlayer } from "./speech-player.ts";
import { openMicrophone } from "./microphone.ts";
import { speechSampleRate } from "./pcm.ts";
import { replySpeech } from "./reply-speech.ts";
import { startVoiceActivity, type VoiceActivity } from "./voice-activity.ts";

/**
 * Speech over the persona this long is a barge-in, which ends the persona's turn as far as it was
 * heard; shorter ("mm-hm") only holds the persona for a moment, and it carries on from where it stopped.
 */
export const bargeInMs = 300;
/** Audio sent from before the detector heard speech start, so the first syllable is not lost. */
const preRollMs = 300;
/** After a reply's text ends, how long its speech may take to begin before the client stops waiting for it. */
const speechGraceMs = 8_000;

export interface VoiceActivityState {
  /** The detector has loaded and is listening. */
  ready: boolean;
  /** An utterance is open: the learner is speaking and their audio is being sent. */
  learnerSpeaking: boolean;
  /** The persona's reply is being spoken (or about to be). */
  personaSpeaking: boolean;
  /** The browser holds audio back until the learner does something on the page. */
  suspended: boolean;
}

export interface VoiceConversationDeps {
  sessionId: string;
  voice: VoiceAvailability;
  send: (message: ClientMessage) => void;
  sendAudio: (data: ArrayBuffer) => void;
  /** Whether a new utterance may open now (no turn of the learner's awaiting an answer, not ended). */
  canSpeak: () => boolean;
  /** Whether the learner reviews their words before they are sent. */
  review: () => boolean;
  started: (clientMessageId: string, review: boolean) => void;
  cancelled: (clientMessageId: string) => void;
  onChange: (state: VoiceActivityState) => void;
}

/**
 * Voice practice on one connection: the microphone captured and cut into utterances by the
 * voice-activity detector, the persona's replies played (server audio, or the browser's own
 * speech; neither, where this browser cannot speak them: reply-speech.ts), and barge-in between
 * the two. One AudioContext carries it all.
 */
export class VoiceConversation {
  private readonly preRoll = new PreRoll(preRollMs + bargeInMs + 400);
  /** The open utterance's id. */
  private utterance: string | null = null;
  /** When speech began over the persona, while the client waits to see if it is a barge-in. */
  private bargeIn: { timer: number; startedAt: number } | null = null;
  /** A persona turn whose speech is playing or still to come. */
  private speakingSeq: number | null = null;
  private graceTimer: number | undefined;
  private activity: VoiceActivity | null = null;
  /** Who speaks the persona's replies; none where neither the server nor this browser can (they show as text). */
  private readonly speaker: SpeechPlayer | BrowserSpeaker | null;
  private closed = false;
  private state: VoiceActivityState = { ready: false, learnerSpeaking: false, personaSpeaking: false, suspended: false };
  /** The text of replies streaming in, joined from their deltas (for the browser's own speech). */
  private readonly replies = new Map<number, string>();

  private constructor(
    private readonly deps: VoiceConversationDeps,
    private readonly context: AudioContext,
    private readonly stream: MediaStream,
    private readonly capture: AudioWorkletNode,
    private readonly sampleRate: number,
  ) {
    const played = (report: PlayedReport) => this.played(report);
    const playing = (personaSpeaking: boolean) => this.update({ personaSpeaking: personaSpeaking || this.speakingSeq !== null });
    const speech = replySpeech(deps.voice.speech, window);
    this.speaker =
      speech === "server"
        ? new SpeechPlayer(context, played, playing)
        : speech === "browser"
          ? new BrowserSpeaker(deps.voice.personaVoice, played, playing)
          : null;
    capture.port.onmessage = (event: MessageEvent<unknown>) => {
      if (event.data instanceof ArrayBuffer) this.frame(event.data);
    };
    context.onstatechange = () => this.update({ suspended: context.state === "suspended" });
    this.update({ suspended: context.state === "suspended" });
  }

  /** Opens the microphone (which may ask the learner), then starts listening. */
  static async start(deps: VoiceConversationDeps): Promise<VoiceConversation> {
    const stream = await openMicrophone();
    const context = new AudioContext();
    try {
      await context.audioWorklet.addModule(captureWorkletUrl);
      const capture = new AudioWorkletNode(context, "spar-capture", { numberOfInputs: 1, numberOfOutputs: 0, channelCount: 1, channelCountMode: "explicit" });
      context.createMediaStreamSource(stream).connect(capture);
      // Until the page has been used, the browser keeps the context suspended: the learner's click
      // resumes it (the panel offers a button), so nothing here waits for it to run.
      void context.resume();
      // As the worklet's Downsampler chooses it: 16 kHz, or the context's own rate if lower.
      const sampleRate = Math.min(speechSampleRate, context.sampleRate);
      const conversation = new VoiceConversation(deps, context, stream, capture, sampleRate);
      deps.onChange(conversation.state);
      await conversation.listen();
      return conversation;
    } catch (error) {
      for (const track of stream.getTracks()) track.stop();
      void context.close();
      throw error;
    }
  }

  private async listen(): Promise<void> {
    this.activity = await startVoiceActivity(this.context, this.stream, {
      onSpeechStart: () => this.speechStart(),
      onSpeechEnd: () => this.speechEnd(),
      onMisfire: () => this.misfire(),
      // The server transcribes from the pause, so the words are ready when the end is certain.
      onPause: () => {
        if (this.utterance) this.deps.send({ type: "voice-pause", sessionId: this.deps.sessionId, clientMessageId: this.utterance });
      },
      onResume: () => {
        if (this.utterance) this.deps.send({ type: "voice-resume", sessionId: this.deps.sessionId, clientMessageId: this.utterance });
      },
    });
    if (this.closed) await this.activity.stop();
    this.deps.send({ type: "voice-mode", sessionId: this.deps.sessionId, on: true });
    this.update({ ready: true, suspended: this.context.state === "suspended" });
  }

  /** The learner's click, where the browser waited for one before playing sound. */
  resume(): Promise<void> {
    return this.context.resume();
  }

  /** Speaks a committed persona turn: the opening line of a new session. */
  speakTurn(turn: TurnView): void {
    if (!this.speaker) return;
    this.expectSpeech(turn.seq);
    if (this.speaker instanceof BrowserSpeaker) this.speaker.begin(turn.seq, turn.text, true);
    else this.deps.send({ type: "speak", sessionId: this.deps.sessionId, seq: turn.seq });
  }

  /** Every message and audio frame from the socket, in order. */
  handle(event: SocketEvent): void {
    if (this.closed) return;
    if (event.kind === "audio") {
      if (this.speaker instanceof SpeechPlayer) this.speaker.audio(event.data);
      return;
    }
    const message = event.message;
    const speaker = this.speaker;
    switch (message.type) {
      // Each connection is told again after a reconnect.
      case "session-ready":
        if (message.session.status === "active") this.deps.send({ type: "voice-mode", sessionId: this.deps.sessionId, on: true });
        break;
      case "reply-start":
        // Nothing will be spoken: the learner may answer as soon as the reply is there.
        if (!speaker) break;
        this.expectSpeech(message.seq);
        if (speaker instanceof BrowserSpeaker) speaker.begin(message.seq);
        break;
      case "reply-delta":
        if (speaker instanceof BrowserSpeaker) speaker.update(message.seq, this.replyText(message.seq, message.text), false);
        break;
      case "reply-end":
        this.replies.delete(message.turn.seq);
        if (speaker instanceof BrowserSpeaker) speaker.update(message.turn.seq, message.turn.text, true);
        else if (speaker && this.speakingSeq === message.turn.seq && !speaker.playing) this.waitForSpeech(message.turn.seq);
        break;
      case "speech-start":
        window.clearTimeout(this.graceTimer);
        if (speaker instanceof SpeechPlayer) speaker.speechStart(message);
        break;
      case "speech-end":
        if (speaker instanceof SpeechPlayer) speaker.speechEnd(message);
        break;
      case "error":
        if (message.clientMessageId && message.clientMessageId === this.utterance) this.closeUtterance();
        break;
      case "session-ended":
        this.speaker?.stop();
        this.closeUtterance();
        break;
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    window.clearTimeout(this.graceTimer);
    if (this.bargeIn) window.clearTimeout(this.bargeIn.timer);
    if (this.utterance) this.deps.send({ type: "voice-cancel", sessionId: this.deps.sessionId, clientMessageId: this.utterance });
    this.deps.send({ type: "voice-mode", sessionId: this.deps.sessionId, on: false });
    this.speaker?.close();
    void this.activity?.stop();
    this.capture.port.onmessage = null;
    this.capture.disconnect();
    for (const track of this.stream.getTracks()) track.stop();
    void this.context.close();
  }

  private replyText(seq: number, delta: string): string {
    const text = (this.replies.get(seq) ?? "") + delta;
    this.replies.set(seq, text);
    return text;
  }

  private expectSpeech(seq: number): void {
    window.clearTimeout(this.graceTimer);
    this.speakingSeq = seq;
    this.update({ personaSpeaking: true });
  }

  // A reply whose speech never comes (the speech service failed) must not leave every later
  // utterance waiting to barge in on it.
  private waitForSpeech(seq: number): void {
    window.clearTimeout(this.graceTimer);
    this.graceTimer = window.setTimeout(() => {
      if (this.speakingSeq === seq && !this.speaker?.playing) this.played({ seq, playedMs: 0, stopped: false }, false);
    }, speechGraceMs);
  }

  private played(report: PlayedReport, tell = true): void {
    if (tell) this.deps.send({ type: "speech-played", sessionId: this.deps.sessionId, ...report });
    if (this.speakingSeq === report.seq) this.speakingSeq = null;
    this.update({ personaSpeaking: (this.speaker?.playing ?? false) || this.speakingSeq !== null });
  }

  private frame(data: ArrayBuffer): void {
    if (this.utterance) this.deps.sendAudio(data);
    else this.preRoll.push(data, performance.now());
  }

  private speechStart(): void {
    if (this.closed || this.utterance || this.bargeIn || !this.deps.canSpeak()) return;
    const startedAt = performance.now();
    if (this.speakingSeq === null) {
      this.openUtterance(startedAt);
      return;
    }
    // Over the persona: it stops at once, and its turn ends there if the learner keeps speaking.
    this.speaker?.hold();
    this.bargeIn = { startedAt, timer: window.setTimeout(() => this.confirmBargeIn(), bargeInMs) };
  }

  private confirmBargeIn(): void {
    const bargeIn = this.bargeIn;
    this.bargeIn = null;
    if (!bargeIn || this.closed) return;
    const seq = this.speakingSeq;
    window.clearTimeout(this.graceTimer);
    if (!this.speaker?.stop() && seq !== null) {
      // Spoken over before its speech began: nothing of it was heard.
      if (this.speaker instanceof SpeechPlayer) this.speaker.drop(seq);
      this.played({ seq, playedMs: 0, heardChars: 0, stopped: true });
    }
    // Ready for the next reply.
    this.speaker?.release();
    this.speakingSeq = null;
    this.update({ personaSpeaking: false });
    this.openUtterance(bargeIn.startedAt);
  }

  private misfire(): void {
    if (this.bargeIn) {
      window.clearTimeout(this.bargeIn.timer);
      this.bargeIn = null;
      this.speaker?.release();
      return;
    }
    const utterance = this.utterance;
    if (!utterance) return;
    this.deps.send({ type: "voice-cancel", sessionId: this.deps.sessionId, clientMessageId: utterance });
    this.deps.cancelled(utterance);
    this.closeUtterance();
  }

  private speechEnd(): void {
    if (this.bargeIn) {
      window.clearTimeout(this.bargeIn.timer);
      this.confirmBargeIn();
    }
    const utterance = this.utterance;
    if (!utterance) return;
    this.deps.send({ type: "voice-end", sessionId: this.deps.sessionId, clientMessageId: utterance });
    this.closeUtterance();
  }

  private openUtterance(startedAt: number): void {
    const clientMessageId = newMessageId();
    const review = this.deps.review();
    this.deps.send({ type: "voice-start", sessionId: this.deps.sessionId, clientMessageId, sampleRate: this.sampleRate, ...(review ? { review } : {}) });
    this.deps.started(clientMessageId, review);
    for (const frame of this.preRoll.takeSince(startedAt - preRollMs)) this.deps.sendAudio(frame);
    this.utterance = clientMessageId;
    this.update({ learnerSpeaking: true });
  }

  private closeUtterance(): void {
    this.utterance = null;
    this.update({ learnerSpeaking: false });
  }

  private update(change: Partial<VoiceActivityState>): void {
    this.state = { ...this.state, ...change };
    this.deps.onChange(this.state);
  }
}
