import type { Role } from "@spar/protocol";
import type { AuditRecord } from "../audit/audit-log.ts";
import type { AdjudicatedCriterion, Level, ScoreInBrief } from "./effective-level.ts";

export interface Author {
  id: string;
  name: string;
}

export interface LevelOverrideRecord {
  id: string;
  scorecardId: string;
  criterionId: string;
  seq: number;
  scorerLevel: number;
  level: number;
  reason: string;
  /** Null once the author's account is gone. */
  author: Author | null;
  createdAt: Date;
}

export interface TurnCommentRecord {
  id: string;
  sessionId: string;
  turn: number;
  body: string;
  author: Author | null;
  createdAt: Date;
}

/** Who is writing, as the database has them at the moment of the write (not as their cookie says). */
export interface CurrentActor {
  id: string;
  role: Role;
}

/** What an override is decided on, read inside the transaction that writes it, under the session's row lock. */
export interface OverrideFacts {
  scorecardId: string;
  sessionId: string;
  learnerId: string;
  /** Null when the actor's account is deactivated or gone. */
  actor: CurrentActor | null;
  managersOfLearner: string[];
  scorer: ScoreInBrief["scorer"];
  rubric: { contentHash: string; source: string };
  /** The session's newest scorecard is the one history, trends and the team views read. */
  newest: boolean;
  criteria: AdjudicatedCriterion[];
}

export type OverrideRefusal = "forbidden" | "criterion-not-found" | "unchanged";

export type OverrideDecision =
  | { ok: false; reason: OverrideRefusal }
  | {
      ok: true;
      override: { criterionId: string; seq: number; scorerLevel: number; level: Level; reason: string };
      /** The session's score in brief to store, when this scorecard is its newest. */
      latestScore: ScoreInBrief | null;
      audit: AuditRecord;
    };

export type OverrideWriteResult = { ok: true; override: LevelOverrideRecord } | { ok: false; reason: OverrideRefusal | "not-found" };

export interface CommentFacts {
  sessionId: string;
  learnerId: string;
  actor: CurrentActor | null;
  managersOfLearner: string[];
  turnExists: boolean;
}

export type CommentDecision =
  | { ok: false; reason: "forbidden" | "turn-not-found" }
  | { ok: true; comment: { turn: number; body: string }; audit: AuditRecord };

export type CommentWriteResult = { ok: true; comment: TurnCommentRecord } | { ok: false; reason: "forbidden" | "turn-not-found" | "not-found" };

/**
 * Overrides and comments. Each write reads its facts, asks `decide` (the domain's rules) and
 * writes the record with its audit entry in one transaction that holds the session's row lock,
 * so the rule about who may write is checked against what the database holds at that moment and
 * writes to one session happen one after another.
 */
export interface AdjudicationStore {
  overrideLevel(scorecardId: string, actorId: string, decide: (facts: OverrideFacts) => OverrideDecision): Promise<OverrideWriteResult>;
  /** Every override of a scorecard, oldest first, with whose work it is; null when there is no such scorecard. */
  overridesOf(scorecardId: string): Promise<{ learnerId: string; overrides: LevelOverrideRecord[] } | null>;
  /** Every override of the given scorecards, oldest first. */
  overridesOfScorecards(scorecardIds: readonly string[]): Promise<LevelOverrideRecord[]>;
  commentOnTurn(sessionId: string, turn: number, actorId: string, decide: (facts: CommentFacts) => CommentDecision): Promise<CommentWriteResult>;
  /** Every comment on a session's turns, in turn order then oldest first; null when there is no such session. */
  commentsOf(sessionId: string): Promise<{ learnerId: string; comments: TurnCommentRecord[] } | null>;
}
