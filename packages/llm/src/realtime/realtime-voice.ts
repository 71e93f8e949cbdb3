import { type PersonaEngine, type PersonaReplyRequest, type PersonaReplyResult, personaMessages, type TokenUsage, turnGuidance } from "@spar/domain";
import type { RealtimeResponseCreateParamsWithReferencesParam } from "openai/resources/realtime/realtime";
import type { LlmObserver } from "../llm-observer.ts";
import type { SpokenAudio, Transcription } from "../speech.ts";
import { AudioQueue } from "./audio-queue.ts";
import { readAloudInstructions, realtimeInput } from "./realtime-input.ts";
import { RealtimeConnection, type RealtimeEndpoint } from "./realtime-connection.ts";
import { resamplePcm16 } from "./pcm-rate.ts";

// The persona played by a speech-to-speech model through the Realtime API (SPAR_VOICE_ENGINE=
// realtime), for one learner's connection. It hears the learner (their audio is committed to the
// Realtime conversation and transcribed there), answers in speech with the persona's instructions
// and the turn's guidance (the text engine's own prompt), and reads a stored line aloud where one
// must be spoken again. Every reply is an out-of-band response carrying its whole context, one
// at a time. docs/llm-providers.md, "Speech to speech".

export interface RealtimeSettings extends RealtimeEndpoint {
  /** The model that transcribes the learner's audio in the Realtime session. */
  transcriptionModel: string;
  /** The persona's voice where the scenario names none. */
  voice: string;
  connectTimeoutMs: number;
  /** The whole reply must arrive within this. */
  turnDeadlineMs: number;
  /** A reply whose events stop this long is given up on. */
  stallMs: number;
  /** A turn's transcription must arrive within this. */
  transcriptionTimeoutMs: number;
  promptBudgetTokens: number;
  /** The longest reply, in tokens. */
  maxTokens: number;
  observer?: LlmObserver;
}

/** The Realtime API's audio: 16-bit mono PCM at 24 kHz, both ways. */
export const realtimeSampleRate = 24_000;
const pcm24k = { type: "audio/pcm", rate: realtimeSampleRate } as const;
/** Audio is appended a second at a time (an event may carry 15 MiB; a second is 64 KiB of base64). */
const appendBytes = realtimeSampleRate * 2;

type Ending =
  | { status: "completed" | "cancelled" | "incomplete" | "failed"; reason: string | null; usage: TokenUsage | null }
  | { status: "lost" | "deadline" | "stall"; reason: string; usage: null };

interface ResponseHandlers {
  created?: () => void;
  transcript?: (delta: string) => void;
  audio?: (pcm: Uint8Array) => void;
}

export class RealtimeVoice {
  #connection: RealtimeConnection | null = null;
  /** The learner's latest turn heard on this connection: its words and its item in the Realtime conversation. */
  #heard: { text: string; itemId: string } | null = null;
  /** Responses run one at a time, and so do transcriptions. */
  #responses: Promise<unknown> = Promise.resolve();
  #transcriptions: Promise<unknown> = Promise.resolve();
  readonly persona: PersonaEngine;

  constructor(private readonly settings: RealtimeSettings) {
    this.persona = { kind: "llm", model: settings.model, reply: (request, options) => this.reply(request, options) };
  }

  /** The open connection, or a new one set up for this learner: audio both ways, turns taken by Spar. */
  #connect(): RealtimeConnection {
    if (this.#connection && !this.#connection.closed) return this.#connection;
    const connection = new RealtimeConnection(this.settings, { connectTimeoutMs: this.settings.connectTimeoutMs });
    this.#connection = connection;
    connection
      .send({
        type: "session.update",
        session: {
          type: "realtime",
          output_modalities: ["audio"],
          audio: {
            // The browser's detector says when the learner has finished; the server's would answer on its own.
            input: { format: pcm24k, transcription: { model: this.settings.transcriptionModel }, turn_detection: null },
            output: { format: pcm24k, voice: this.settings.voice },
          },
        },
      })
      .catch(() => {}); // a connection that fails is reported by the call that uses it
    return connection;
  }

  close(): void {
    this.#connection?.close();
    this.#connection = null;
  }

  #queued<T>(chain: "responses" | "transcriptions", run: () => Promise<T>): Promise<T> {
    const previous = chain === "responses" ? this.#responses : this.#transcriptions;
    const next = previous.then(run, run);
    const settled = next.catch(() => {});
    if (chain === "responses") this.#responses = settled;
    else this.#transcriptions = settled;
    return next;
  }

  // ---- Hearing the learner ----

  /** Transcribes one learner turn (a WAV file of 16-bit mono PCM) in the Realtime conversation, where the persona will hear it. */
  transcribe(wav: Uint8Array, options: { signal?: AbortSignal } = {}): Promise<Transcription> {
    const bytes = Buffer.from(wav.buffer, wav.byteOffset, wav.byteLength);
    const audio = resamplePcm16(bytes.subarray(44), bytes.readUInt32LE(24), realtimeSampleRate);
    return this.#queued("transcriptions", () => this.#transcribe(audio, options.signal));
  }

  async #transcribe(audio: Buffer, signal?: AbortSignal): Promise<Transcription> {
    signal?.throwIfAborted();
    const connection = this.#connect();
    let itemId: string | null = null;
    let commitEventId: string | null = null;
    let settle: (outcome: { text: string } | { error: Error }) => void = () => {};
    const outcome = new Promise<{ text: string } | { error: Error }>((resolve) => (settle = resolve));
    const offEvent = connection.onEvent((event) => {
      if (event.type === "input_audio_buffer.committed" && itemId === null) itemId = event.item_id;
      else if (event.type === "conversation.item.input_audio_transcription.completed" && event.item_id === itemId) settle({ text: event.transcript.trim() });
      else if (event.type === "conversation.item.input_audio_transcription.failed" && event.item_id === itemId) settle({ error: new Error(`the Realtime transcription failed: ${event.error.message ?? "no reason given"}`) });
      else if (event.type === "error" && commitEventId !== null && event.error.event_id === commitEventId) settle({ error: new Error(`the Realtime service refused the audio: ${event.error.message}`) });
    });
    const offClose = connection.onClose((error) => settle({ error }));
    const timeout = setTimeout(() => settle({ error: new Error("the Realtime transcription took too long") }), this.settings.transcriptionTimeoutMs);
    const onAbort = () => settle({ error: new DOMException("The transcription was stopped.", "AbortError") });
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      await connection.send({ type: "input_audio_buffer.clear" });
      for (let at = 0; at < audio.length; at += appendBytes) {
        await connection.send({ type: "input_audio_buffer.append", audio: audio.subarray(at, at + appendBytes).toString("base64") });
      }
      commitEventId = await connection.send({ type: "input_audio_buffer.commit" });
      const heard = await outcome;
      if ("error" in heard) throw heard.error;
      if (itemId) this.#heard = { text: heard.text, itemId };
      return { text: heard.text, words: [] };
    } finally {
      offEvent();
      offClose();
      clearTimeout(timeout);
      signal?.removeEventListener("abort", onAbort);
    }
  }

  // ---- Speaking ----

  /** Reads a stored line aloud in the persona's voice (an opening line, or a reply written elsewhere). */
  speak(text: string, options: { voice?: string; signal?: AbortSignal } = {}): Promise<SpokenAudio> {
    const audio = new AudioQueue();
    return new Promise<SpokenAudio>((resolve, reject) => {
      const spoken: SpokenAudio = { format: "pcm", sampleRate: realtimeSampleRate, chunks: audio };
      this.#queued("responses", () =>
        this.#respond(
          {
            conversation: "none",
            output_modalities: ["audio"],
            instructions: readAloudInstructions,
            input: [{ type: "message", role: "user", content: [{ type: "input_text", text }] }],
            audio: { output: { voice: options.voice ?? this.settings.voice, format: pcm24k } },
          },
          { created: () => resolve(spoken), audio: (pcm) => audio.push(pcm) },
          options.signal,
        ),
      )
        .then((ending) => {
          audio.end();
          if (ending.status !== "completed" && ending.status !== "cancelled") reject(new Error(`the Realtime service could not read the line aloud: ${ending.reason ?? ending.status}`));
        })
        .catch((error: unknown) => {
          audio.end();
          reject(error);
        });
    });
  }

  /** The persona's reply to the learner's latest turn, in speech (`onAudio`) with its transcript (`onDelta`). */
  async reply(request: PersonaReplyRequest, options: { signal: AbortSignal; onDelta: (text: string) => void; onAudio?: (pcm: Uint8Array) => void }): Promise<PersonaReplyResult> {
    const messages = personaMessages(request.scenario, request.transcript, turnGuidance(request.state, request.move, request.scenario), this.settings.promptBudgetTokens);
    const { instructions, input } = realtimeInput(messages, this.#heard);
    const observer = this.settings.observer;
    const model = this.settings.model;
    const asked = performance.now();
    let text = "";
    let ending: Ending;
    try {
      ending = await this.#queued("responses", () =>
        this.#respond(
          {
            conversation: "none",
            output_modalities: ["audio"],
            instructions,
            input,
            max_output_tokens: this.settings.maxTokens,
            audio: { output: { voice: request.scenario.persona.voice ?? this.settings.voice, format: pcm24k } },
          },
          {
            transcript: (delta) => {
              if (text === "") observer?.firstToken(model, (performance.now() - asked) / 1000);
              text += delta;
              options.onDelta(delta);
            },
            ...(options.onAudio ? { audio: options.onAudio } : {}),
          },
          options.signal,
        ),
      );
    } catch (error) {
      ending = { status: "lost", reason: error instanceof Error ? error.message : "the Realtime service failed", usage: null };
    }
    if (ending.usage) observer?.usage(model, "persona", ending.usage);
    const said = text.trim();
    const usage = ending.usage;
    switch (ending.status) {
      case "completed":
        observer?.callSucceeded?.(model, "persona");
        return { ok: true, text: said, usage, interrupted: null };
      case "cancelled":
        return { ok: true, text: said, usage, interrupted: "stopped" };
      case "incomplete":
        if (ending.reason === "max_output_tokens") return { ok: true, text: said, usage, interrupted: "token-limit" };
        break;
      case "deadline":
      case "stall":
        observer?.failure(model, ending.status === "deadline" ? "timeout" : "stall");
        if (said !== "") return { ok: true, text: said, usage, interrupted: "timeout" };
        return { ok: false, code: "timeout", message: ending.status === "stall" ? "the model stopped sending" : "the model took too long" };
    }
    observer?.failure(model, "stream_lost");
    observer?.callFailed?.({ model, purpose: "persona", status: null, message: ending.reason ?? ending.status, requestId: null });
    if (said !== "") return { ok: true, text: said, usage, interrupted: "stream-lost" };
    return { ok: false, code: "unavailable", message: "the Realtime service did not answer" };
  }

  /** One out-of-band response, from response.create to response.done; stopped by `signal` (response.cancel). */
  async #respond(response: RealtimeResponseCreateParamsWithReferencesParam, on: ResponseHandlers, signal?: AbortSignal): Promise<Ending> {
    const connection = this.#connect();
    let responseId: string | null = null;
    let createEventId: string | null = null;
    let cancelled = false;
    let settle: (ending: Ending) => void = () => {};
    const ended = new Promise<Ending>((resolve) => (settle = resolve));
    const cancel = () => {
      if (cancelled || responseId === null) return;
      cancelled = true;
      connection.send({ type: "response.cancel", response_id: responseId }).catch(() => {});
    };
    const deadline = setTimeout(() => settle({ status: "deadline", reason: "no complete reply within the deadline", usage: null }), this.settings.turnDeadlineMs);
    const stall = setTimeout(() => settle({ status: "stall", reason: "the reply stopped coming", usage: null }), this.settings.stallMs);
    const offEvent = connection.onEvent((event) => {
      if (event.type === "response.created" && responseId === null && createEventId !== null) {
        responseId = event.response.id ?? "";
        stall.refresh();
        on.created?.();
        if (signal?.aborted) cancel();
        return;
      }
      if (event.type === "error" && createEventId !== null && event.error.event_id === createEventId) {
        settle({ status: "failed", reason: event.error.message, usage: null });
        return;
      }
      if (event.type === "response.output_audio.delta" && event.response_id === responseId) {
        stall.refresh();
        on.audio?.(Buffer.from(event.delta, "base64"));
      } else if (event.type === "response.output_audio_transcript.delta" && event.response_id === responseId) {
        stall.refresh();
        on.transcript?.(event.delta);
      } else if (event.type === "response.done" && event.response.id === responseId) {
        const usage = event.response.usage;
        settle({
          status: event.response.status === "in_progress" || !event.response.status ? "failed" : event.response.status,
          reason: event.response.status_details?.reason ?? event.response.status_details?.error?.message ?? null,
          usage: usage ? { inputTokens: usage.input_tokens ?? 0, outputTokens: usage.output_tokens ?? 0, cachedTokens: usage.input_token_details?.cached_tokens ?? 0 } : null,
        });
      }
    });
    const offClose = connection.onClose((error) => settle({ status: "lost", reason: error.message, usage: null }));
    signal?.addEventListener("abort", cancel, { once: true });
    try {
      createEventId = await connection.send({ type: "response.create", response });
      const ending = await ended;
      // A response given up on may still be running there: a new connection starts clean.
      if (ending.status === "deadline" || ending.status === "stall") this.close();
      return ending;
    } catch (error) {
      return { status: "lost", reason: error instanceof Error ? error.message : "the Realtime connection failed", usage: null };
    } finally {
      offEvent();
      offClose();
      clearTimeout(deadline);
      clearTimeout(stall);
      signal?.removeEventListener("abort", cancel);
    }
  }
}
