import { z } from "zod";
import { text } from "./text.ts";
import { Engine, PersonaMood, TurnView } from "./practice.ts";
import { ScorecardView } from "./scorecards.ts";

// The practice websocket (GET /api/practice/socket): one discriminated union on `type` each way.
// Documented for client authors in docs/protocol.md.

export const maxTurnCharacters = 2_000;

const SessionId = z.uuid();

export const ClientMessage = z.discriminatedUnion("type", [
  z.object({ type: z.literal("session-start"), scenarioId: text().min(1).max(100) }),
  z.object({
    type: z.literal("session-resume"),
    sessionId: SessionId,
    lastSeq: z.number().int().min(0).describe("The highest turn seq the client has; 0 for none."),
  }),
  z.object({
    type: z.literal("turn"),
    sessionId: SessionId,
    clientMessageId: text().min(1).max(64).describe("Chosen by the client; a turn resent with the same id is stored once."),
    text: text().trim().min(1).max(maxTurnCharacters),
  }),
  z.object({ type: z.literal("reply-request"), sessionId: SessionId }),
  z.object({ type: z.literal("interrupt"), sessionId: SessionId }),
  z.object({ type: z.literal("session-end"), sessionId: SessionId }),
  z.object({ type: z.literal("open-sessions") }),
  // Voice (docs/protocol.md, "Speaking"): audio travels as binary frames between these.
  z.object({
    type: z.literal("voice-mode"),
    sessionId: SessionId,
    on: z.boolean().describe("Speak the persona's replies on this connection (as server audio, or by the browser where the server has no speech)."),
  }),
  z.object({
    type: z.literal("voice-start"),
    sessionId: SessionId,
    clientMessageId: text().min(1).max(64).describe("The learner turn this speech becomes (as a turn's clientMessageId)."),
    sampleRate: z.number().int().min(8_000).max(48_000).describe("Of the 16-bit little-endian mono PCM in the binary frames that follow."),
    review: z.boolean().optional().describe("Transcribe only: the learner corrects the words and sends them as a `turn` with the same clientMessageId."),
  }),
  z.object({ type: z.literal("voice-end"), sessionId: SessionId, clientMessageId: text().min(1).max(64) }),
  z.object({
    type: z.literal("voice-pause"),
    sessionId: SessionId,
    clientMessageId: text().min(1).max(64).describe("The learner went quiet: transcribe what they said so far now, before the detector is sure they have finished."),
  }),
  z.object({ type: z.literal("voice-resume"), sessionId: SessionId, clientMessageId: text().min(1).max(64).describe("They spoke again after a voice-pause.") }),
  z.object({ type: z.literal("voice-cancel"), sessionId: SessionId, clientMessageId: text().min(1).max(64) }),
  z.object({ type: z.literal("speak"), sessionId: SessionId, seq: z.number().int().positive().describe("A committed persona turn to speak (the opening line, say).") }),
  z.object({
    type: z.literal("speech-played"),
    sessionId: SessionId,
    seq: z.number().int().positive(),
    playedMs: z.number().int().min(0).max(3_600_000).describe("How long the persona turn's audio played."),
    heardChars: z.number().int().min(0).optional().describe("With `stopped`: how much of the turn's text had been spoken when it stopped."),
    stopped: z.boolean().describe("The learner spoke over the persona (barge-in): the turn is kept up to `heardChars`."),
  }),
]);
export type ClientMessage = z.infer<typeof ClientMessage>;

/** One of the learner's sessions still open (the socket's `open-sessions`, and GET /api/practice-sessions/open). */
export const OpenSessionView = z.object({
  sessionId: z.string(),
  scenarioId: z.string(),
  scenarioTitle: z.string(),
  startedAt: z.string(),
  lastActivityAt: z.string(),
  learnerTurns: z.number().int(),
  /** An assessment cannot be discarded, only ended (and scored). */
  assessment: z.boolean().optional(),
});
export type OpenSessionView = z.infer<typeof OpenSessionView>;

export const EndReason = z.enum(["learner-ended", "persona-ended", "turn-limit", "time-limit", "abandoned", "discarded"]);
export type EndReason = z.infer<typeof EndReason>;

/** Whether this session can be practised by voice, and who speaks the persona's replies. */
export const VoiceAvailability = z.object({
  available: z.boolean(),
  /** Why not, in words for the learner (the scenario is text only, or the server has no speech-to-text). */
  reason: z.string().optional(),
  /** "server": replies arrive as audio frames; "browser": the client speaks them itself (the server has no text-to-speech). */
  speech: z.enum(["server", "browser"]),
  /** The persona's voice as the scenario names it, for a browser that speaks the replies itself. */
  personaVoice: z.string().optional(),
});
export type VoiceAvailability = z.infer<typeof VoiceAvailability>;

export const SessionInfo = z.object({
  id: z.string(),
  scenario: z.object({ id: z.string(), version: z.number().int(), title: z.string(), contentHash: z.string() }),
  persona: z.object({ name: z.string(), role: z.string() }),
  engine: Engine,
  model: z.string().nullable(),
  status: z.enum(["active", "ended"]),
  endReason: EndReason.nullable(),
  startedAt: z.string(),
  maxTurns: z.number().int(),
  maxMinutes: z.number().int(),
  learnerTurns: z.number().int(),
  mood: PersonaMood.optional().describe(
    "The persona's mood now (its opening mood in a new session): present only where the scenario shows mood, never in an assessment.",
  ),
  voice: VoiceAvailability.optional(),
});
export type SessionInfo = z.infer<typeof SessionInfo>;

export const SocketErrorCode = z.enum([
  "BAD_MESSAGE",
  "MESSAGE_TOO_LARGE",
  "RATE_LIMITED",
  "SCENARIO_NOT_FOUND",
  "SESSION_NOT_FOUND",
  "SESSION_ENDED",
  "NO_SESSION",
  "TOO_MANY_SESSIONS",
  "ATTEMPTS_USED",
  "REPLY_IN_PROGRESS",
  "NOTHING_TO_ANSWER",
  "LLM_UNAVAILABLE",
  "VOICE_UNAVAILABLE",
  "SPEECH_NOT_HEARD",
  "SPEECH_TOO_LONG",
  "TRANSCRIPTION_FAILED",
  "SLOW_CONSUMER",
  "INTERNAL",
]);
export type SocketErrorCode = z.infer<typeof SocketErrorCode>;

export const ServerMessage = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("session-ready"),
    session: SessionInfo,
    /** Committed turns after the client's lastSeq (all of them for a new session). */
    turns: z.array(TurnView),
    resumed: z.boolean(),
  }),
  z.object({
    type: z.literal("turn-accepted"),
    sessionId: z.string(),
    clientMessageId: z.string(),
    seq: z.number().int(),
    duplicate: z.boolean(),
    /** The dialogue acts found in the turn as stored (`steering` among them), as in a turn. */
    acts: z.array(z.string()).optional(),
  }),
  z.object({ type: z.literal("reply-start"), sessionId: z.string(), seq: z.number().int() }),
  z.object({ type: z.literal("reply-delta"), sessionId: z.string(), seq: z.number().int(), text: z.string() }),
  z.object({ type: z.literal("reply-end"), sessionId: z.string(), turn: TurnView }),
  z.object({ type: z.literal("session-ended"), sessionId: z.string(), reason: EndReason, endedAt: z.string() }),
  z.object({ type: z.literal("score-ready"), sessionId: z.string(), scorecard: ScorecardView }),
  z.object({
    type: z.literal("score-failed"),
    sessionId: z.string(),
    /** True when scoring has given up; false while it waits to try again at `nextAttemptAt`. */
    final: z.boolean(),
    /** What went wrong, in words for the learner. */
    message: z.string(),
    nextAttemptAt: z.string().nullable(),
  }),
  z.object({
    type: z.literal("score-skipped"),
    sessionId: z.string(),
    /**
     * `too-short`: the learner said too little to score; the session is not an assessment attempt.
     * `discarded`: the learner set it aside unscored (practice only).
     */
    reason: z.enum(["too-short", "discarded"]),
    /** In words for the learner, starting "Not scored". */
    message: z.string(),
  }),
  z.object({
    type: z.literal("open-sessions"),
    /** The learner's sessions still open, newest first: resume one, or end it. */
    sessions: z.array(OpenSessionView),
  }),
  z.object({
    type: z.literal("voice-transcript"),
    sessionId: z.string(),
    clientMessageId: z.string(),
    text: z.string(),
    /** False while the learner still speaks (the words so far); true once the speech has ended. */
    final: z.boolean(),
  }),
  z.object({
    type: z.literal("speech-start"),
    sessionId: z.string(),
    /** The persona turn being spoken (its reply-start seq). */
    seq: z.number().int(),
    /** Sentences are numbered from 0 within a turn. */
    index: z.number().int().min(0),
    text: z.string(),
    /** Where the sentence lies in the turn's text, in UTF-16 code units (JavaScript string indexes). */
    from: z.number().int().min(0),
    to: z.number().int().min(0),
    /** The binary frames until speech-end: 16-bit little-endian mono PCM ("pcm"), or a WAV file in pieces ("wav"). */
    format: z.enum(["pcm", "wav"]),
    sampleRate: z.number().int(),
  }),
  z.object({
    type: z.literal("speech-end"),
    sessionId: z.string(),
    seq: z.number().int(),
    index: z.number().int().min(0),
    /** The turn's last sentence: nothing more is spoken for it. */
    last: z.boolean(),
  }),
  z.object({
    type: z.literal("turn-revised"),
    sessionId: z.string(),
    /** A committed turn changed: a persona reply cut by barge-in now keeps only what was heard. */
    turn: TurnView,
  }),
  z.object({
    type: z.literal("error"),
    code: SocketErrorCode,
    message: z.string(),
    sessionId: z.string().optional(),
    clientMessageId: z.string().optional(),
    retryAfterMs: z.number().int().optional(),
  }),
]);
export type ServerMessage = z.infer<typeof ServerMessage>;
