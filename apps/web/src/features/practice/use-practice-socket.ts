import { type ClientMessage, type ServerMessage, ServerMessage as ServerMessageSchema } from "@spar/protocol";
import { useCallback, useEffect, useReducer, useRef } from "react";
import { newMessageId } from "./message-id.ts";
import { type ConnectionStatus, initialPracticeState, type PracticeState, reducePractice } from "./practice-state.ts";

export type { ConnectionStatus, PracticeState };

const signedOutCloseCode = 4001;

/** What arrives on the socket, in order: a message, or the binary audio of the sentence being spoken. */
export type SocketEvent = { kind: "message"; message: ServerMessage } | { kind: "audio"; data: ArrayBuffer };
export type SocketListener = (event: SocketEvent) => void;

/**
 * The last seq this tab holds when `message` shows turns it has not seen (a reply numbered past
 * the next seq while none of this tab's own turns await their number); null when nothing is missing.
 */
function missingBefore(message: ServerMessage, state: PracticeState): number | null {
  const seq = message.type === "reply-start" ? message.seq : message.type === "reply-end" ? message.turn.seq : null;
  if (seq === null || state.pending.length > 0) return null;
  const last = state.turns.at(-1)?.seq ?? 0;
  return seq > last + 1 ? last : null;
}

function socketUrl(): string {
  const { protocol, host } = window.location;
  return `${protocol === "https:" ? "wss" : "ws"}://${host}/api/practice/socket`;
}

function endOnItsOwnSocket(sessionId: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(socketUrl());
    const timer = window.setTimeout(() => {
      socket.close();
      reject(new Error("The server did not answer in time."));
    }, 10_000);
    socket.onopen = () => {
      socket.send(JSON.stringify({ type: "session-resume", sessionId, lastSeq: Number.MAX_SAFE_INTEGER } satisfies ClientMessage));
      socket.send(JSON.stringify({ type: "session-end", sessionId } satisfies ClientMessage));
    };
    socket.onmessage = (event) => {
      const parsed = ServerMessageSchema.safeParse(JSON.parse(String(event.data)));
      if (!parsed.success) return;
      if (parsed.data.type === "session-ended" || parsed.data.type === "error") {
        window.clearTimeout(timer);
        socket.close();
        if (parsed.data.type === "error" && parsed.data.code !== "SESSION_ENDED") reject(new Error(parsed.data.message));
        else resolve();
      }
    };
    socket.onerror = () => reject(new Error("Could not reach the server."));
  });
}

/**
 * One practice conversation over the websocket. Reconnects by itself after a drop (with
 * backoff), resumes from the last turn it has, and resends turns that were never acknowledged:
 * the server stores each once, so nothing is lost or doubled.
 */
export function usePracticeSocket(start: { scenarioId?: string; sessionId?: string }) {
  const [state, dispatch] = useReducer(reducePractice, initialPracticeState);
  const startRef = useRef(start);
  const stateRef = useRef(state);
  stateRef.current = state;
  const socketRef = useRef<WebSocket | null>(null);
  const sessionIdRef = useRef<string | null>(start.sessionId ?? null);
  const startedRef = useRef(false);
  const listenersRef = useRef(new Set<SocketListener>());

  const send = useCallback((message: ClientMessage) => {
    const socket = socketRef.current;
    if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
  }, []);
  /** A binary frame: the learner's speech, between `voice-start` and `voice-end`. */
  const sendAudio = useCallback((data: ArrayBuffer) => {
    const socket = socketRef.current;
    if (socket?.readyState === WebSocket.OPEN) socket.send(data);
  }, []);
  /** Hears every message and audio frame in the order they arrive; returns the way to stop. */
  const subscribe = useCallback((listener: SocketListener) => {
    listenersRef.current.add(listener);
    return () => {
      listenersRef.current.delete(listener);
    };
  }, []);

  useEffect(() => {
    let stopped = false;
    let attempt = 0;
    let timer: number | undefined;
    const listeners = listenersRef.current;
    const publish = (event: SocketEvent) => {
      for (const listener of listeners) listener(event);
    };

    const connect = () => {
      const socket = new WebSocket(socketUrl());
      socket.binaryType = "arraybuffer";
      socketRef.current = socket;
      socket.onopen = () => {
        attempt = 0;
        dispatch({ type: "connection", status: "open" });
        const sessionId = sessionIdRef.current;
        if (sessionId) {
          const lastSeq = stateRef.current.turns.at(-1)?.seq ?? 0;
          socket.send(JSON.stringify({ type: "session-resume", sessionId, lastSeq } satisfies ClientMessage));
          for (const turn of stateRef.current.pending) {
            socket.send(
              JSON.stringify({
                type: "turn",
                sessionId,
                clientMessageId: turn.clientMessageId,
                text: turn.text,
              } satisfies ClientMessage),
            );
          }
        } else if (!startedRef.current && startRef.current.scenarioId) {
          startedRef.current = true;
          socket.send(
            JSON.stringify({ type: "session-start", scenarioId: startRef.current.scenarioId } satisfies ClientMessage),
          );
        }
      };
      socket.onmessage = (event) => {
        if (event.data instanceof ArrayBuffer) {
          publish({ kind: "audio", data: event.data });
          return;
        }
        const parsed = ServerMessageSchema.safeParse(JSON.parse(String(event.data)));
        if (!parsed.success) return;
        if (parsed.data.type === "session-ready") sessionIdRef.current = parsed.data.session.id;
        // A reply to a turn this tab never saw (sent from another tab or device): fetch the turns
        // in between, so two tabs on one conversation never diverge.
        const missed = missingBefore(parsed.data, stateRef.current);
        if (missed !== null && sessionIdRef.current) {
          socket.send(JSON.stringify({ type: "session-resume", sessionId: sessionIdRef.current, lastSeq: missed } satisfies ClientMessage));
        }
        // At the open-session limit: list them, so the learner can resume or end one.
        if (parsed.data.type === "error" && parsed.data.code === "TOO_MANY_SESSIONS") {
          socket.send(JSON.stringify({ type: "open-sessions" } satisfies ClientMessage));
        }
        dispatch({ type: "server", message: parsed.data });
        publish({ kind: "message", message: parsed.data });
      };
      socket.onclose = (event) => {
        if (stopped) return;
        // 4001: this sign-in has ended (deactivated, or a password reset). Reconnecting cannot
        // help; the person signs in again, and comes back here to resume.
        if (event.code === signedOutCloseCode) {
          stopped = true;
          window.location.assign(`/sign-in?next=${encodeURIComponent(window.location.pathname)}`);
          return;
        }
        dispatch({ type: "connection", status: "reconnecting" });
        const delay = Math.min(5_000, 250 * 2 ** attempt);
        attempt += 1;
        timer = window.setTimeout(connect, delay);
      };
    };
    connect();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
      socketRef.current?.close();
      // Not started yet (React may mount twice in development): let the next mount start it.
      if (!sessionIdRef.current) startedRef.current = false;
      dispatch({ type: "connection", status: "closed" });
    };
  }, []);

  // A typed turn, or spoken words the learner reviewed (sent with their speech's id).
  const say = useCallback(
    (text: string, clientMessageId = newMessageId()) => {
      const sessionId = sessionIdRef.current;
      if (!sessionId) return;
      dispatch({ type: "sent", clientMessageId, text });
      send({ type: "turn", sessionId, clientMessageId, text });
    },
    [send],
  );
  const end = useCallback(() => {
    if (sessionIdRef.current) send({ type: "session-end", sessionId: sessionIdRef.current });
  }, [send]);
  const retryReply = useCallback(() => {
    if (sessionIdRef.current) send({ type: "reply-request", sessionId: sessionIdRef.current });
  }, [send]);

  // After a rescore is queued: resuming the ended session makes the server watch for its score again.
  const rescoreRequested = useCallback(() => {
    const sessionId = sessionIdRef.current;
    if (!sessionId) return;
    dispatch({ type: "rescore-requested" });
    send({ type: "session-resume", sessionId, lastSeq: stateRef.current.turns.at(-1)?.seq ?? 0 });
  }, [send]);

  // Ends another open session on a socket of its own (this one stays on the session being
  // started), then starts this one again.
  const endOpenSession = useCallback(
    async (sessionId: string) => {
      await endOnItsOwnSocket(sessionId);
      dispatch({ type: "open-session-ended", sessionId });
      const scenarioId = startRef.current.scenarioId;
      if (!sessionIdRef.current && scenarioId) send({ type: "session-start", scenarioId });
    },
    [send],
  );

  const voiceStarted = useCallback((clientMessageId: string, review: boolean) => dispatch({ type: "voice-started", clientMessageId, review }), []);
  const voiceCancelled = useCallback((clientMessageId: string) => dispatch({ type: "voice-cancelled", clientMessageId }), []);

  return {
    state,
    say,
    end,
    retryReply,
    rescoreRequested,
    endOpenSession,
    voice: { send, sendAudio, subscribe, started: voiceStarted, cancelled: voiceCancelled, sessionId: () => sessionIdRef.current },
  };
}
