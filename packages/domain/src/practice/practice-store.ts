import type { EndReason, PersonaMood } from "@spar/protocol";
import type { DialogueAct } from "../library/dialogue-acts.ts";
import type { PersonaState } from "../conversation/persona-state.ts";
import type { Interruption, TokenUsage } from "./persona-engine.ts";
import type { TurnSpeech } from "./turn-speech.ts";

export interface TurnRecord {
  seq: number;
  speaker: "learner" | "persona";
  text: string;
  status: "complete" | "interrupted";
  /** Why an interrupted persona turn ended early; null for a complete turn. */
  interruption: Interruption | null;
  /** The output guard replaced this reply with a deflection (it began to leak what the persona keeps). */
  guarded: boolean;
  acts: DialogueAct[];
  clientMessageId: string | null;
  at: Date;
  /**
   * On a persona turn, the persona's trust and resistance after it (kept for every scenario; shown
   * only where the scenario shows mood). Null on learner turns and on turns stored before it was kept.
   */
  mood: PersonaMood | null;
  /** When a spoken turn was spoken (voice practice); null for a typed turn. */
  speech: TurnSpeech | null;
}

export interface SessionRecord {
  id: string;
  learnerId: string;
  scenarioId: string;
  scenarioHash: string;
  rubricHash: string;
  engine: "offline" | "llm";
  model: string | null;
  status: "active" | "ended";
  endReason: EndReason | null;
  startedAt: Date;
  endedAt: Date | null;
  personaState: PersonaState;
  turns: TurnRecord[];
}

export interface OpenSessionSummary {
  sessionId: string;
  scenarioId: string;
  scenarioTitle: string;
  startedAt: Date;
  lastActivityAt: Date;
  learnerTurns: number;
}

export interface NewSession {
  learnerId: string;
  scenarioHash: string;
  rubricHash: string;
  engine: "offline" | "llm";
  model: string | null;
  personaState: PersonaState;
  openingLine: string;
  at: Date;
  /** When the scenario's time limit ends the session (the sweep ends it then). */
  endsBy: Date;
}

export interface PersonaTurnCommit {
  /** The learner turn this answers. */
  answersSeq: number;
  /**
   * The newest turn when the reply began: the learner's turn, or a persona turn the provider cut
   * that this reply is asked for again in place of. The commit is refused if the transcript has
   * moved past it.
   */
  afterSeq: number;
  text: string;
  status: "complete" | "interrupted";
  interruption: Interruption | null;
  guarded: boolean;
  personaState: PersonaState;
  usage: TokenUsage | null;
  at: Date;
  /** Ends the session with this turn (and queues it for scoring). */
  end: EndReason | null;
}

export interface SessionEnding {
  reason: EndReason;
  at: Date;
  closingLine: string | null;
  /** Only if nobody has spoken since then (a turn that just arrived keeps it open). */
  idleSince?: Date;
  /** Set aside unscored (the learner discarded it) instead of queued for scoring. */
  discard?: boolean;
}

/** The limits a new session must fit, checked by the store under the learner's lock. */
export interface StartLimits {
  scenarioId: string;
  /** An assessment's attempts (sessions on the scenario, too-short ones aside); null for practice. */
  maxAttempts: number | null;
  maxActiveSessions: number;
  /** Active sessions started before this no longer count as open. */
  activeSince: Date;
}

export type CreateOutcome =
  | { kind: "created"; session: SessionRecord }
  | { kind: "attempts-used"; attempts: number }
  | { kind: "too-many-sessions"; open: number };

export type LearnerTurnOutcome =
  | { kind: "stored" | "duplicate"; turn: TurnRecord }
  | { kind: "session-ended" }
  /** The persona has not answered the learner's previous turn yet. */
  | { kind: "awaiting-reply" };

/**
 * Where practice sessions live. Every method commits before it returns: a turn the server has
 * acknowledged survives a crash and can be continued by any server process.
 */
export interface PracticeStore {
  /**
   * Creates a session unless it would break a limit. Counting and creating happen under one lock
   * on the learner, so simultaneous starts, on any number of processes, cannot all fit.
   */
  createSession(session: NewSession, limits: StartLimits): Promise<CreateOutcome>;
  findSession(sessionId: string): Promise<SessionRecord | null>;
  /** A scenario file exactly as it was when a session on it started, by content hash. */
  scenarioSource(contentHash: string): Promise<string | null>;
  /** Sessions the learner has started on a scenario, any version: attempts at an assessment. */
  countAttempts(learnerId: string, scenarioId: string): Promise<number>;
  /**
   * Stores a learner turn once per clientMessageId, only in an active session whose newest turn
   * is the persona's: the statement that writes is what takes turns, so racing sends (on one
   * socket or on several processes) leave at most one unanswered learner turn.
   */
  appendLearnerTurn(
    sessionId: string,
    turn: { clientMessageId: string; text: string; acts: DialogueAct[]; at: Date; speech?: TurnSpeech | null },
  ): Promise<LearnerTurnOutcome>;
  appendPersonaTurn(sessionId: string, commit: PersonaTurnCommit): Promise<TurnRecord | null>;
  /**
   * Records when a persona turn was heard. With `heard`, the learner spoke over it: the turn keeps
   * only that text (never more than it had), marked interrupted by barge-in, in the same statement. Only the first hearing counts: a turn heard again later (replayed) keeps its
   * first times and text. Null when there is no such turn, or it was heard before.
   */
  recordPersonaSpeech(sessionId: string, seq: number, speech: TurnSpeech, heard: string | null): Promise<TurnRecord | null>;
  /**
   * Ends an active session, optionally with a last persona line; false when it had already ended.
   * With `idleSince`, only if nobody has spoken since then (a turn that just arrived keeps it open).
   */
  endSession(sessionId: string, end: SessionEnding): Promise<boolean>;
  /** Active sessions past their time limit, or idle since `idleSince`, oldest first. */
  dueToEnd(now: Date, idleSince: Date, limit: number): Promise<{ sessionId: string; reason: "time-limit" | "abandoned" }[]>;
  /** The learner's open sessions, newest first, for choosing one to resume or end. */
  openSessions(learnerId: string): Promise<OpenSessionSummary[]>;
}
