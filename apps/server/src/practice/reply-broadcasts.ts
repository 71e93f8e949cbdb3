import type { ServerMessage } from "@spar/protocol";

type Listener = (message: ServerMessage) => void;

interface Broadcast {
  seq: number;
  said: string;
  listeners: Set<Listener>;
  controller: AbortController;
}

/**
 * The persona replies being generated in this process, one per session at most. A connection
 * that resumes while a reply is streaming joins it (and gets what was said so far) instead of
 * starting a second one; a reply outlives the connection that asked for it, so a dropped
 * network loses nothing.
 */
export class ReplyBroadcasts {
  readonly #bySession = new Map<string, Broadcast>();

  get size(): number {
    return this.#bySession.size;
  }

  isStreaming(sessionId: string): boolean {
    return this.#bySession.has(sessionId);
  }

  /** Starts a broadcast; null when one is already running for the session. */
  begin(sessionId: string, listener: Listener): { controller: AbortController; started: (seq: number) => void; delta: (text: string) => void; send: (message: ServerMessage) => void; finish: () => void } | null {
    if (this.#bySession.has(sessionId)) return null;
    const broadcast: Broadcast = { seq: 0, said: "", listeners: new Set([listener]), controller: new AbortController() };
    this.#bySession.set(sessionId, broadcast);
    const send = (message: ServerMessage) => {
      for (const each of broadcast.listeners) each(message);
    };
    return {
      controller: broadcast.controller,
      started: (seq) => {
        broadcast.seq = seq;
        send({ type: "reply-start", sessionId, seq });
      },
      delta: (text) => {
        broadcast.said += text;
        send({ type: "reply-delta", sessionId, seq: broadcast.seq, text });
      },
      send,
      finish: () => this.#bySession.delete(sessionId),
    };
  }

  /** Joins a running broadcast, catching up on what was said; false when none is running. */
  join(sessionId: string, listener: Listener): boolean {
    const broadcast = this.#bySession.get(sessionId);
    if (!broadcast) return false;
    broadcast.listeners.add(listener);
    if (broadcast.seq > 0) {
      listener({ type: "reply-start", sessionId, seq: broadcast.seq });
      if (broadcast.said) listener({ type: "reply-delta", sessionId, seq: broadcast.seq, text: broadcast.said });
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
