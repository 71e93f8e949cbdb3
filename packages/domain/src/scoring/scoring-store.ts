import type { TokenUsage } from "../practice/persona-engine.ts";
import type { SessionRecord } from "../practice/practice-store.ts";
import type { ScorecardDraft } from "./scorecard.ts";

export interface ScoringClaim {
  session: SessionRecord;
  /** The rubric version to score with, and its source text as kept in the database. */
  rubricHash: string;
  rubricSource: string;
  /** The source of the scenario version the session was practised on: its brief and hidden facts are the judge's context. */
  scenarioSource: string;
  /** 1 on the first try. */
  attempt: number;
}

export interface StoredScorecardMeta {
  scorer: "offline" | "llm";
  model: string | null;
  rubricHash: string;
  usage: TokenUsage | null;
}

/** Scoring work, claimed from the database so several server processes score each session once. */
export interface ScoringStore {
  /** Claims the oldest session waiting for a score (or whose claim lapsed with a crashed worker). */
  claimNext(worker: string, now: Date, leaseMs: number): Promise<ScoringClaim | null>;
  /** Stores the scorecard and marks the session scored, if this worker still holds the claim. */
  complete(sessionId: string, worker: string, draft: ScorecardDraft, meta: StoredScorecardMeta, now: Date): Promise<string | null>;
  /** Gives the claim back: to be retried at `retryAt`, or failed for good when it is null. */
  release(sessionId: string, worker: string, error: string, retryAt: Date | null): Promise<void>;
  /** Queues an ended session to be scored again, with its own rubric version or another one. */
  requestRescore(sessionId: string, rubricHash: string | null, now: Date): Promise<boolean>;
  /**
   * Queues every ended session scored with a rubric (any version) to be scored again, with the
   * given version or each session's own; the ids of those queued. Sessions being scored, too short
   * to score, or whose transcript is erased are left alone.
   */
  requestRubricRescore(rubricId: string, rubricHash: string | null, now: Date): Promise<string[]>;
}
