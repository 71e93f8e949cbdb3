// The fake provider's Realtime websocket (`/v1/realtime?model=…`): hears audio appended and
// committed, transcribes it at a set delay, and answers each response.create with a reply spoken
// as a quiet tone (60 ms a character) and its transcript, word by word at a set pace; a
// response.cancel stops it. Enough of the API's events for Spar's Realtime engine, with its
// errors for what Spar must never send (an unknown item reference, an empty commit).
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { type WebSocket, WebSocketServer } from "ws";
import { fakeSpeech } from "./fake-audio.ts";
import type { ChatRequest } from "./fake-openai-server.ts";

export interface FakeRealtimeOptions {
  /** Time from a commit to its transcription. */
  transcriptionMs?: number;
  /** Time from response.create to the first word and audio. */
  firstAudioMs?: number;
  /** Words a second after the first (200 when left out). */
  wordsPerSecond?: number;
  /** Refuses the upgrade with 401 unless `Authorization: Bearer <apiKey>` is sent. */
  apiKey?: string;
}

/** One response.create as the fake read it: the prompt as chat messages (a referenced audio item is its transcript). */
export interface RealtimeResponseRecord {
  instructions: string;
  conversation: string | null;
  voice: string | null;
  maxOutputTokens: number | null;
  /** The input items' types in order: "system", "user", "assistant" or "item_reference". */
  itemTypes: string[];
  messages: ChatRequest["messages"];
  text: string;
  status: "completed" | "cancelled" | "incomplete" | null;
  /** Epoch milliseconds: when the request came and its first audio left. */
  receivedAt: number;
  answeredAt?: number;
}

export interface RealtimeConnectionRecord {
  model: string | null;
  authorization: string | null;
  /** The last session.update's session, as sent. */
  session: Record<string, unknown> | null;
  /** Every client event's type, in order (audio appends included, without their audio). */
  events: string[];
}

interface Hooks {
  options: FakeRealtimeOptions;
  /** What the learner said, from the audio's length (the audio fake's transcript). */
  transcript: (durationMs: number) => string;
  /** The persona's reply to a prompt (the chat fake's scripted or unscripted reply). */
  reply: (chat: ChatRequest) => string;
  connections: RealtimeConnectionRecord[];
  responses: RealtimeResponseRecord[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const epochNow = () => performance.timeOrigin + performance.now();
type Item = { id: string; role: string; text: string };
type ClientEvent = { type: string; event_id?: string; [key: string]: unknown };

export class FakeRealtime {
  readonly #server = new WebSocketServer({ noServer: true, perMessageDeflate: false });

  constructor(private readonly hooks: Hooks) {}

  /** Takes the upgrade when it is for /realtime; false leaves it to others. */
  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = new URL(request.url ?? "/", "http://fake");
    if (!url.pathname.endsWith("/realtime")) return false;
    const authorization = typeof request.headers.authorization === "string" ? request.headers.authorization : null;
    if (this.hooks.options.apiKey && authorization !== `Bearer ${this.hooks.options.apiKey}`) {
      socket.end('HTTP/1.1 401 Unauthorized\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n{"error":{"message":"Incorrect API key provided"}}');
      return true;
    }
    this.#server.handleUpgrade(request, socket, head, (ws) => {
      const record: RealtimeConnectionRecord = { model: url.searchParams.get("model"), authorization, session: null, events: [] };
      this.hooks.connections.push(record);
      this.#serve(ws, record);
    });
    return true;
  }

  close(): void {
    for (const client of this.#server.clients) client.terminate();
    this.#server.close();
  }

  #serve(ws: WebSocket, record: RealtimeConnectionRecord): void {
    let sequence = 0;
    const id = (prefix: string) => `${prefix}_${++sequence}`;
    const send = (event: Record<string, unknown>) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ event_id: id("event"), ...event }));
    };
    const error = (cause: ClientEvent, code: string, message: string) =>
      send({ type: "error", error: { type: "invalid_request_error", code, message, param: null, event_id: cause.event_id ?? null } });
    const items = new Map<string, Item>();
    let buffer: Buffer[] = [];
    const running = new Map<string, { cancelled: boolean }>();
    send({ type: "session.created", session: { type: "realtime", id: id("sess"), model: record.model } });

    ws.on("message", (data) => {
      const event = JSON.parse(data.toString()) as ClientEvent;
      record.events.push(event.type);
      switch (event.type) {
        case "session.update":
          record.session = event.session as Record<string, unknown>;
          send({ type: "session.updated", session: event.session });
          return;
        case "input_audio_buffer.append":
          buffer.push(Buffer.from(String(event.audio), "base64"));
          return;
        case "input_audio_buffer.clear":
          buffer = [];
          send({ type: "input_audio_buffer.cleared" });
          return;
        case "input_audio_buffer.commit": {
          const bytes = buffer.reduce((sum, chunk) => sum + chunk.length, 0);
          buffer = [];
          const durationMs = (bytes / 2 / 24_000) * 1000;
          // As the API: at least 100 ms of audio.
          if (durationMs < 100) return error(event, "input_audio_buffer_commit_empty", `Error committing input audio buffer: buffer too small. Expected at least 100ms of audio, but buffer only has ${durationMs.toFixed(2)}ms of audio.`);
          const item: Item = { id: id("item"), role: "user", text: "" };
          items.set(item.id, item);
          send({ type: "input_audio_buffer.committed", item_id: item.id, previous_item_id: null });
          const transcription = (record.session?.audio as { input?: { transcription?: { model?: string } } } | undefined)?.input?.transcription;
          if (!transcription?.model) return;
          void sleep(this.hooks.options.transcriptionMs ?? 0).then(() => {
            item.text = this.hooks.transcript(durationMs);
            send({ type: "conversation.item.input_audio_transcription.completed", item_id: item.id, content_index: 0, transcript: item.text, usage: { type: "duration", seconds: durationMs / 1000 } });
          });
          return;
        }
        case "response.create":
          void this.#respond(event, send, error, items, running, id);
          return;
        case "response.cancel": {
          const response = running.get(String(event.response_id));
          if (response) response.cancelled = true;
          else error(event, "response_cancel_not_active", "Cancellation failed: no active response found");
          return;
        }
        default:
          error(event, "unknown_event", `Invalid value: '${event.type}'.`);
      }
    });
  }

  async #respond(
    event: ClientEvent,
    send: (event: Record<string, unknown>) => void,
    error: (cause: ClientEvent, code: string, message: string) => void,
    items: Map<string, Item>,
    running: Map<string, { cancelled: boolean }>,
    id: (prefix: string) => string,
  ): Promise<void> {
    const receivedAt = epochNow();
    const request = (event.response ?? {}) as { instructions?: string; conversation?: string; input?: Record<string, unknown>[]; max_output_tokens?: number; audio?: { output?: { voice?: string } } };
    const messages: ChatRequest["messages"] = request.instructions ? [{ role: "system", content: request.instructions }] : [];
    const itemTypes: string[] = [];
    for (const input of request.input ?? []) {
      if (input.type === "item_reference") {
        const referenced = items.get(String(input.id));
        if (!referenced) return error(event, "item_not_found", `Item with id '${String(input.id)}' not found.`);
        itemTypes.push("item_reference");
        messages.push({ role: referenced.role, content: referenced.text });
        continue;
      }
      const content = (input.content as { text?: string }[] | undefined) ?? [];
      itemTypes.push(String(input.role));
      messages.push({ role: String(input.role), content: content.map((part) => part.text ?? "").join("") });
    }
    const chat: ChatRequest = { model: "realtime", messages, stream: true };
    const readAloud = /^Read aloud/.test(request.instructions ?? "");
    const whole = readAloud ? (messages.at(-1)?.content ?? "") : this.hooks.reply(chat);
    const words = whole.match(/\S+\s*/g) ?? [];
    const cap = request.max_output_tokens ?? Number.POSITIVE_INFINITY;
    const record: RealtimeResponseRecord = {
      instructions: request.instructions ?? "",
      conversation: request.conversation ?? null,
      voice: request.audio?.output?.voice ?? null,
      maxOutputTokens: request.max_output_tokens ?? null,
      itemTypes,
      messages,
      text: "",
      status: null,
      receivedAt,
    };
    this.hooks.responses.push(record);
    const responseId = id("resp");
    const itemId = id("item");
    const state = { cancelled: false };
    running.set(responseId, state);
    send({ type: "response.created", response: { object: "realtime.response", id: responseId, status: "in_progress", output: [] } });
    await sleep(this.hooks.options.firstAudioMs ?? 0);
    const gap = 1000 / (this.hooks.options.wordsPerSecond ?? 200);
    let status: "completed" | "cancelled" | "incomplete" = "completed";
    for (const [index, word] of words.entries()) {
      if (state.cancelled) {
        status = "cancelled";
        break;
      }
      if (index >= cap) {
        status = "incomplete";
        break;
      }
      if (index > 0) await sleep(gap);
      if (state.cancelled) {
        status = "cancelled";
        break;
      }
      send({ type: "response.output_audio_transcript.delta", response_id: responseId, item_id: itemId, output_index: 0, content_index: 0, delta: word });
      send({ type: "response.output_audio.delta", response_id: responseId, item_id: itemId, output_index: 0, content_index: 0, delta: fakeSpeech(word).toString("base64") });
      record.answeredAt ??= epochNow();
      record.text += word;
    }
    running.delete(responseId);
    record.status = status;
    const details = status === "cancelled" ? { type: "cancelled", reason: "client_cancelled" } : status === "incomplete" ? { type: "incomplete", reason: "max_output_tokens" } : null;
    send({
      type: "response.done",
      response: {
        object: "realtime.response",
        id: responseId,
        status,
        status_details: details,
        output: [{ id: itemId, type: "message", role: "assistant", content: [{ type: "output_audio", transcript: record.text }] }],
        usage: { total_tokens: 0, input_tokens: Math.ceil(messages.reduce((sum, message) => sum + message.content.length, 0) / 4), output_tokens: words.length, input_token_details: { cached_tokens: 0 } },
      },
    });
  }
}
