import type { ScorecardView, ServerMessage, SessionInfo, TurnView } from "@spar/protocol";

export type ConnectionStatus = "connecting" | "open" | "reconnecting" | "closed";

export interface PracticeState {
  connection: ConnectionStatus;
  session: SessionInfo | null;
  /** The session was resumed rather than begun on this page (its opening line is not spoken again). */
  resumed: boolean;
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
  /**
   * The learner's speech being turned into words: the words so far (`final: false`), then all of
   * them, which wait for `turn-accepted` or, with `review`, for the learner to correct and send.
   */
  voice: { clientMessageId: string; text: string; final: boolean; review: boolean } | null;
}

export type PracticeAction =
  | { type: "connection"; status: ConnectionStatus }
  | { type: "voice-started"; clientMessageId: string; review: boolean }
  | { type: "voice-cancelled"; clientMessageId: string }
  | { type: "sent"; clientMessageId: string; text: string }
  | { type: "rescore-requested" }
  | { type: "open-session-ended"; sessionId: string }
  | { type: "server"; message: ServerMessage };

export const initialPracticeState: PracticeState = {
  connection: "connecting",
  session: null,
  resumed: false,
  turns: [],
  streaming: null,
  pending: [],
  ended: null,
  scorecard: null,
  scoreFailure: null,
  scoreSkipped: null,
  error: null,
  openSessions: null,
  voice: null,
};

function mergeTurns(turns: TurnView[], incoming: TurnView[]): TurnView[] {
  const bySeq = new Map(turns.map((turn) => [turn.seq, turn]));
  for (const turn of incoming) bySeq.set(turn.seq, turn);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

export function reducePractice(state: PracticeState, action: PracticeAction): PracticeState {
  if (action.type === "rescore-requested") return { ...state, scoreFailure: null };
  if (action.type === "connection") return { ...state, connection: action.status };
  if (action.type === "open-session-ended")
    return { ...state, error: null, openSessions: state.openSessions?.filter((each) => each.sessionId !== action.sessionId) ?? null };
  if (action.type === "sent")
    return {
      ...state,
      pending: [...state.pending, { clientMessageId: action.clientMessageId, text: action.text }],
      error: null,
      voice: state.voice?.clientMessageId === action.clientMessageId ? null : state.voice,
    };
  if (action.type === "voice-started")
    return { ...state, error: null, voice: { clientMessageId: action.clientMessageId, text: "", final: false, review: action.review } };
  if (action.type === "voice-cancelled")
    return state.voice?.clientMessageId === action.clientMessageId ? { ...state, voice: null } : state;
  const message = action.message;
  switch (message.type) {
    case "session-ready":
      return {
        ...state,
        session: message.session,
        resumed: state.session ? state.resumed : message.resumed,
        turns: mergeTurns(state.turns, message.turns),
        ended: message.session.status === "ended" ? { reason: message.session.endReason ?? "ended" } : state.ended,
        error: null,
      };
    case "turn-accepted":
      return {
        ...state,
        voice: state.voice?.clientMessageId === message.clientMessageId ? null : state.voice,
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
    case "voice-transcript":
      return voiceTranscript(state, message);
    case "turn-revised":
      return {
        ...state,
        turns: mergeTurns(state.turns, [message.turn]),
        streaming: state.streaming?.seq === message.turn.seq ? null : state.streaming,
      };
    case "speech-start":
    case "speech-end":
      return state;
    case "error":
      return {
        ...state,
        error: { code: message.code, message: message.message },
        voice: message.clientMessageId && state.voice?.clientMessageId === message.clientMessageId ? null : state.voice,
        pending: message.clientMessageId
          ? state.pending.filter((turn) => turn.clientMessageId !== message.clientMessageId)
          : state.pending,
        streaming: null,
      };
  }
}

/**
 * The words of the learner's speech: shown as they come; once final, a turn awaiting its
 * acknowledgement (resent as text after a reconnect, which the server stores once), or with
 * review, words for the learner to correct.
 */
function voiceTranscript(state: PracticeState, message: Extract<ServerMessage, { type: "voice-transcript" }>): PracticeState {
  const review = state.voice?.clientMessageId === message.clientMessageId && state.voice.review;
  const voice = { clientMessageId: message.clientMessageId, text: message.text, final: message.final, review };
  if (!message.final || review || state.pending.some((turn) => turn.clientMessageId === message.clientMessageId)) return { ...state, voice };
  return { ...state, voice, pending: [...state.pending, { clientMessageId: message.clientMessageId, text: message.text }] };
}
