import type { ScoringFailureRecord } from "@spar/db";
import type { ScoringFailureView } from "@spar/protocol";

/** What one finished scoring attempt came to, on whichever process ran it. */
export type ScoringOutcome =
  | { kind: "scored"; sessionId: string; scorecardId: string }
  /** Tried again at nextAttemptAt; null when the attempt lost its lease and another worker has the session. */
  | { kind: "retrying"; sessionId: string; error: string; nextAttemptAt: Date | null }
  /** Failed for good: the session is in the failed (dead-letter) list until someone retries it. */
  | { kind: "failed"; sessionId: string; error: string };

export type ScoringEngine = "pg-boss" | "in-process";

/**
 * Scoring work, whichever engine carries it: pg-boss on PostgreSQL (jobs in its own schema,
 * several workers and processes), or the embedded database's own worker for one process. The
 * session row keeps what learners see (pending, done, failed, too short); the engine keeps the
 * lease, the retries and the concurrency.
 */
export interface ScoringQueue {
  readonly engine: ScoringEngine;
  /** Starts sending waiting sessions to the queue and, when this process scores, working on them. */
  start(): Promise<void>;
  /** Stops taking work and waits for the attempts in hand to finish. */
  stop(): Promise<void>;
  /** A session ended on this process: queue what is waiting and start on it now. */
  sessionEnded(): void;
  /** Queues a session already marked as waiting (a rescore); a session is never queued twice. */
  enqueue(sessionId: string): Promise<void>;
  /** Queues again a session whose scoring failed for good; false when it is not such a session. */
  retry(sessionId: string): Promise<boolean>;
  /** Sessions whose scoring failed for good and can be retried, newest first. */
  failed(): Promise<ScoringFailureView[]>;
  /** Told of every attempt this process finishes; returns a function that stops telling. */
  onOutcome(listener: (outcome: ScoringOutcome) => void): () => void;
}

/** The listeners of onOutcome: one that throws is logged by the caller's `failed` hook, never breaks scoring. */
export class OutcomeListeners {
  readonly #listeners = new Set<(outcome: ScoringOutcome) => void>();

  constructor(private readonly listenerFailed: (error: unknown) => void) {}

  add(listener: (outcome: ScoringOutcome) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  tell(outcome: ScoringOutcome): void {
    for (const listener of this.#listeners) {
      try {
        listener(outcome);
      } catch (error) {
        this.listenerFailed(error);
      }
    }
  }
}

/** How many failures the L&D admin's list shows at most. */
export const failureListLimit = 200;

export function failureView(record: ScoringFailureRecord): ScoringFailureView {
  return {
    sessionId: record.sessionId,
    scenario: { id: record.scenarioId, title: record.scenarioTitle },
    endedAt: record.endedAt?.toISOString() ?? null,
    error: record.error,
    attempts: record.attempts,
  };
}
