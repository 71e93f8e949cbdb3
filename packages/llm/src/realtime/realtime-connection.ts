import { randomUUID } from "node:crypto";
import type { RealtimeClientEvent, RealtimeServerEvent, ResponseCreateEventWithReferencesParam } from "openai/resources/realtime/realtime";
import WebSocket from "ws";

// One websocket to an OpenAI-compatible Realtime endpoint (`{base}/realtime?model=…`), with the
// key in its headers, on the server: the browser never sees it. The events are the openai SDK's
// own types; the socket is `ws`, because the SDK's OpenAIRealtimeWS only dials wss:, and a
// self-hosted Realtime server on a private network (or the test's fake) speaks plain ws:
// (decision record 0013).

export type ClientEvent = RealtimeClientEvent | ResponseCreateEventWithReferencesParam;
export type ServerEvent = RealtimeServerEvent;

export interface RealtimeEndpoint {
  /** Null for api.openai.com. */
  baseUrl: string | null;
  apiKey: string;
  model: string;
}

/** The Realtime URL for an endpoint: its base URL's scheme made ws:/wss:, then /realtime?model=. */
export function realtimeUrl(endpoint: RealtimeEndpoint): URL {
  const url = new URL((endpoint.baseUrl ?? "https://api.openai.com/v1").replace(/\/+$/, ""));
  url.protocol = url.protocol === "http:" || url.protocol === "ws:" ? "ws:" : "wss:";
  url.pathname = `${url.pathname}/realtime`;
  url.searchParams.set("model", endpoint.model);
  return url;
}

/** Why the Realtime connection failed, in words for a log: never the key. */
export class RealtimeConnectionError extends Error {
  constructor(
    message: string,
    readonly code: string | null = null,
  ) {
    super(message);
    this.name = "RealtimeConnectionError";
  }
}

type Listener = (event: ServerEvent) => void;

export class RealtimeConnection {
  readonly #socket: WebSocket;
  readonly #listeners = new Set<Listener>();
  readonly #closeListeners = new Set<(error: RealtimeConnectionError) => void>();
  readonly opened: Promise<void>;
  #closed: RealtimeConnectionError | null = null;

  constructor(endpoint: RealtimeEndpoint, options: { connectTimeoutMs: number }) {
    this.#socket = new WebSocket(realtimeUrl(endpoint), {
      headers: { Authorization: `Bearer ${endpoint.apiKey}` },
      handshakeTimeout: options.connectTimeoutMs,
      perMessageDeflate: false,
    });
    this.opened = new Promise<void>((resolve, reject) => {
      this.#socket.once("open", () => resolve());
      this.#socket.once("unexpected-response", (_request, response) => {
        response.resume();
        this.#end(new RealtimeConnectionError(`the Realtime service answered ${response.statusCode ?? "without a status"}`, `http_${response.statusCode ?? 0}`));
        reject(this.#closed);
      });
      this.#socket.once("error", (error) => {
        this.#end(new RealtimeConnectionError(`the Realtime service could not be reached (${error.message})`, "connection"));
        reject(this.#closed);
      });
    });
    this.opened.catch(() => {}); // told to whoever sends
    this.#socket.on("message", (data) => {
      let event: ServerEvent;
      try {
        event = JSON.parse(data.toString()) as ServerEvent;
      } catch {
        return; // not an event: nothing to act on
      }
      for (const listener of this.#listeners) listener(event);
    });
    this.#socket.on("close", (code, reason) => this.#end(new RealtimeConnectionError(`the Realtime connection closed (${code}${reason.length > 0 ? ` ${reason.toString()}` : ""})`, "closed")));
  }

  get closed(): boolean {
    return this.#closed !== null;
  }

  #end(error: RealtimeConnectionError): void {
    if (this.#closed) return;
    this.#closed = error;
    for (const listener of this.#closeListeners) listener(error);
    this.#closeListeners.clear();
  }

  /** Sends an event (once the socket is open); returns its event_id, which an `error` event names. */
  async send(event: ClientEvent): Promise<string> {
    await this.opened;
    if (this.#closed) throw this.#closed;
    const eventId = `spar_${randomUUID()}`;
    this.#socket.send(JSON.stringify({ ...event, event_id: eventId }));
    return eventId;
  }

  onEvent(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Told once, when the connection is lost or closed (at once if it already is). */
  onClose(listener: (error: RealtimeConnectionError) => void): () => void {
    if (this.#closed) {
      listener(this.#closed);
      return () => {};
    }
    this.#closeListeners.add(listener);
    return () => this.#closeListeners.delete(listener);
  }

  close(): void {
    this.#end(new RealtimeConnectionError("the Realtime connection was closed here", "closed"));
    if (this.#socket.readyState === WebSocket.CONNECTING) this.#socket.terminate();
    else this.#socket.close(1000, "done");
  }
}
