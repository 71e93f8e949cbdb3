import type { EndReason } from "@spar/protocol";
import type { DialogueAct } from "../library/dialogue-acts.ts";
import type { PersonaState } from "../conversation/persona-state.ts";
import type { TokenUsage } from "./persona-engine.ts";

export interface TurnRecord {
  seq: number;
  speaker: "learner" | "persona";
  text: string;
  status: "complete" | "interrupted";
  acts: DialogueAct[];
  clientMessageId: string | null;
  at: Date;
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

export interface NewSession {
  learnerId: string;
  scenarioHash: string;
  rubricHash: string;
  engine: "offline" | "llm";
  model: string | null;
  personaState: PersonaState;
  openingLine: string;
  at: Date;
}

export interface PersonaTurnCommit {
  /** The learner turn this answers; the commit is refused if the transcript has moved on. */
  answersSeq: number;
  text: string;
  status: "complete" | "interrupted";
  personaState: PersonaState;
  usage: TokenUsage | null;
  at: Date;
  /** Ends the session with this turn (and queues it for scoring). */
  end: EndReason | null;
}

/**
 * Where practice sessions live. Every method commits before it returns: a turn the server has
 * acknowledged survives a crash and can be continued by any server process.
 */
export interface PracticeStore {
  createSession(session: NewSession): Promise<SessionRecord>;
  findSession(sessionId: string): Promise<SessionRecord | null>;
  /** A scenario file exactly as it was when a session on it started, by content hash. */
  scenarioSource(contentHash: string): Promise<string | null>;
  countActiveSessions(learnerId: string, startedAfter: Date): Promise<number>;
  /** Sessions the learner has started on a scenario, any version: attempts at an assessment. */
  countAttempts(learnerId: string, scenarioId: string): Promise<number>;
  /** Stores a learner turn once per clientMessageId; null when the session is not active. */
  appendLearnerTurn(
    sessionId: string,
    turn: { clientMessageId: string; text: string; acts: DialogueAct[]; at: Date },
  ): Promise<{ turn: TurnRecord; duplicate: boolean } | null>;
  appendPersonaTurn(sessionId: string, commit: PersonaTurnCommit): Promise<TurnRecord | null>;
  /** Ends an active session, optionally with a last persona line; false when it had already ended. */
  endSession(sessionId: string, end: { reason: EndReason; at: Date; closingLine: string | null }): Promise<boolean>;
}
