import {
  type ClientMessage,
  type ScorecardView,
  type ServerMessage,
  ServerMessage as ServerMessageSchema,
  type SessionInfo,
  type TurnView,
} from "@spar/protocol";
import { useCallback, useEffect, useReducer, useRef } from "react";
import { newMessageId } from "./message-id.ts";

const signedOutCloseCode = 4001;

export type ConnectionStatus = "connecting" | "open" | "reconnecting" | "closed";

export interface PracticeState {
  connection: ConnectionStatus;
  session: SessionInfo | null;
  turns: TurnView[];
  /** The persona's reply as it streams in, before it is committed. */
  streaming: { seq: number; text: string } | null;
  /** Learner turns sent but not yet acknowledged: resent after a reconnect. */
  pending: { clientMessageId: string; text: string }[];
  ended: { reason: string } | null;
  scorecard: ScorecardView | null;
  /** Scoring failed: for good (`final`), or for now with the time of its next try. */
  scoreFailure: { final: boolean; message: string; nextAttemptAt: string | null } | null;
  /** The session will not be scored (too short), in words for the learner. */
  scoreSkipped: string | null;
  error: { code: string; message: string } | null;
  /** Listed when the learner has too many sessions open: resume one, or end it here. */
  openSessions: Extract<ServerMessage, { type: "open-sessions" }>["sessions"] | null;
}

type Action =
  | { type: "connection"; status: ConnectionStatus }
  | { type: "sent"; clientMessageId: string; text: string }
  | { type: "rescore-requested" }
  | { type: "open-session-ended"; sessionId: string }
  | { type: "server"; message: ServerMessage };

const initial: PracticeState = {
  connection: "connecting",
  session: null,
  turns: [],
  streaming: null,
  pending: [],
  ended: null,
  scorecard: null,
  scoreFailure: null,
  scoreSkipped: null,
  error: null,
  openSessions: null,
};

function mergeTurns(turns: TurnView[], incoming: TurnView[]): TurnView[] {
  const bySeq = new Map(turns.map((turn) => [turn.seq, turn]));
  for (const turn of incoming) bySeq.set(turn.seq, turn);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

function reduce(state: PracticeState, action: Action): PracticeState {
  if (action.type === "rescore-requested") return { ...state, scoreFailure: null };
  if (action.type === "connection") return { ...state, connection: action.status };
  if (action.type === "open-session-ended")
    return { ...state, error: null, openSessions: state.openSessions?.filter((each) => each.sessionId !== action.sessionId) ?? null };
  if (action.type === "sent")
    return {
      ...state,
      pending: [...state.pending, { clientMessageId: action.clientMessageId, text: action.text }],
      error: null,
    };
  const message = action.message;
  switch (message.type) {
    case "session-ready":
      return {
        ...state,
        session: message.session,
        turns: mergeTurns(state.turns, message.turns),
        ended: message.session.status === "ended" ? { reason: message.session.endReason ?? "ended" } : state.ended,
        error: null,
      };
    case "turn-accepted":
      return {
        ...state,
        pending: state.pending.filter((turn) => turn.clientMessageId !== message.clientMessageId),
        turns: mergeTurns(state.turns, [
          {
            seq: message.seq,
            speaker: "learner",
            text:
              state.pending.find((turn) => turn.clientMessageId === message.clientMessageId)?.text ??
              state.turns.find((turn) => turn.seq === message.seq)?.text ??
              "",
            status: "complete",
            acts: message.acts ?? [],
            at: new Date().toISOString(),
          },
        ]),
      };
    case "reply-start":
      return { ...state, streaming: { seq: message.seq, text: "" } };
    case "reply-delta":
      return {
        ...state,
        streaming: {
          seq: message.seq,
          text: (state.streaming?.seq === message.seq ? state.streaming.text : "") + message.text,
        },
      };
    case "reply-end":
      return { ...state, streaming: null, turns: mergeTurns(state.turns, [message.turn]) };
    case "session-ended":
      return { ...state, ended: { reason: message.reason }, streaming: null };
    case "score-ready":
      return { ...state, scorecard: message.scorecard, scoreFailure: null };
    case "score-failed":
      return { ...state, scoreFailure: { final: message.final, message: message.message, nextAttemptAt: message.nextAttemptAt } };
    case "score-skipped":
      return { ...state, scoreSkipped: message.message, scoreFailure: null };
    case "open-sessions":
      return { ...state, openSessions: message.sessions };
    case "turn-revised":
      return { ...state, turns: mergeTurns(state.turns, [message.turn]) };
    case "voice-transcript":
    case "speech-start":
    case "speech-end":
      return state;
    case "error":
      return {
        ...state,
        error: { code: message.code, message: message.message },
        pending: message.clientMessageId
          ? state.pending.filter((turn) => turn.clientMessageId !== message.clientMessageId)
          : state.pending,
        streaming: null,
      };
  }
}

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
  const [state, dispatch] = useReducer(reduce, initial);
  const startRef = useRef(start);
  const stateRef = useRef(state);
  stateRef.current = state;
  const socketRef = useRef<WebSocket | null>(null);
  const sessionIdRef = useRef<string | null>(start.sessionId ?? null);
  const startedRef = useRef(false);

  const send = useCallback((message: ClientMessage) => {
    const socket = socketRef.current;
    if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
  }, []);

  useEffect(() => {
    let stopped = false;
    let attempt = 0;
    let timer: number | undefined;

    const connect = () => {
      const socket = new WebSocket(socketUrl());
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

  const say = useCallback(
    (text: string) => {
      const sessionId = sessionIdRef.current;
      if (!sessionId) return;
      const clientMessageId = newMessageId();
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

  return { state, say, end, retryReply, rescoreRequested, endOpenSession };
}
