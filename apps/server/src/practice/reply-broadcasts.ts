import type { ServerMessage } from "@spar/protocol";

type Listener = (message: ServerMessage) => void;

interface Broadcast {
  seq: number;
  /** Everything said so far, including what is still waiting to be sent. */
  said: string;
  /** Deltas held back to go out together (see coalesceMs). */
  pending: string;
  flushTimer: NodeJS.Timeout | null;
  lastFlushAt: number;
  listeners: Set<Listener>;
  controller: AbortController;
}

export interface ReplyBroadcastOptions {
  /**
   * At most one delta frame per this many milliseconds per reply: a delta arriving sooner after
   * the previous frame waits and goes out with any that follow it; one arriving later (the
   * first, always) goes at once, so coalescing never delays a reply's start. 0 sends one frame
   * per model token. bench/README.md compares the two.
   */
  coalesceMs: number;
}

/**
 * The persona replies being generated in this process, one per session at most. A connection
 * that resumes while a reply is streaming joins it (and gets what was said so far) instead of
 * starting a second one; a reply outlives the connection that asked for it, so a dropped
 * network loses nothing.
 */
export class ReplyBroadcasts {
  readonly #bySession = new Map<string, Broadcast>();

  constructor(private readonly options: ReplyBroadcastOptions = { coalesceMs: 0 }) {}

  get size(): number {
    return this.#bySession.size;
  }

  isStreaming(sessionId: string): boolean {
    return this.#bySession.has(sessionId);
  }

  /** Starts a broadcast; null when one is already running for the session. */
  begin(sessionId: string, listener: Listener): { controller: AbortController; started: (seq: number) => void; delta: (text: string) => void; send: (message: ServerMessage) => void; finish: () => void } | null {
    if (this.#bySession.has(sessionId)) return null;
    const broadcast: Broadcast = { seq: 0, said: "", pending: "", flushTimer: null, lastFlushAt: Number.NEGATIVE_INFINITY, listeners: new Set([listener]), controller: new AbortController() };
    this.#bySession.set(sessionId, broadcast);
    const toAll = (message: ServerMessage) => {
      for (const each of broadcast.listeners) each(message);
    };
    const flush = () => {
      if (broadcast.flushTimer) clearTimeout(broadcast.flushTimer);
      broadcast.flushTimer = null;
      if (broadcast.pending === "") return;
      broadcast.lastFlushAt = performance.now();
      const text = broadcast.pending;
      broadcast.pending = "";
      toAll({ type: "reply-delta", sessionId, seq: broadcast.seq, text });
    };
    return {
      controller: broadcast.controller,
      started: (seq) => {
        broadcast.seq = seq;
        toAll({ type: "reply-start", sessionId, seq });
      },
      delta: (text) => {
        broadcast.said += text;
        broadcast.pending += text;
        if (this.options.coalesceMs <= 0) return flush();
        if (broadcast.flushTimer) return;
        const wait = broadcast.lastFlushAt + this.options.coalesceMs - performance.now();
        if (wait <= 0) flush();
        else broadcast.flushTimer = setTimeout(flush, wait);
      },
      // Anything else said about the reply (its end, an error) follows the last of its text.
      send: (message) => {
        flush();
        toAll(message);
      },
      finish: () => {
        flush();
        this.#bySession.delete(sessionId);
      },
    };
  }

  /** Joins a running broadcast, catching up on what was said; false when none is running. */
  join(sessionId: string, listener: Listener): boolean {
    const broadcast = this.#bySession.get(sessionId);
    if (!broadcast) return false;
    broadcast.listeners.add(listener);
    if (broadcast.seq > 0) {
      listener({ type: "reply-start", sessionId, seq: broadcast.seq });
      // What is still pending reaches every listener, this one included, with the next frame.
      const sent = broadcast.said.slice(0, broadcast.said.length - broadcast.pending.length);
      if (sent) listener({ type: "reply-delta", sessionId, seq: broadcast.seq, text: sent });
    }
    return true;
  }

  leave(sessionId: string, listener: Listener): void {
    this.#bySession.get(sessionId)?.listeners.delete(listener);
  }

  interrupt(sessionId: string): boolean {
    const broadcast = this.#bySession.get(sessionId);
    broadcast?.controller.abort();
    return broadcast !== undefined;
  }

  /** Stops every reply (server shutdown); each is committed as interrupted. */
  interruptAll(): void {
    for (const broadcast of this.#bySession.values()) broadcast.controller.abort();
  }
}
