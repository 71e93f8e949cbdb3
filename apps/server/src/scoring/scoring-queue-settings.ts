import { attemptsToCover } from "@spar/domain";

/** The numbers a scoring queue runs on; tests make the waits small. */
export interface ScoringQueueSettings {
  /** Attempts one process works on at once (SPAR_SCORING_CONCURRENCY). */
  concurrency: number;
  /** Attempts per session before its scoring fails for good: enough to cover SPAR_SCORING_RETRY_MINUTES. */
  maxAttempts: number;
  /** The wait before retry n is about backoffBaseMs × 2^(n-1), at most maxBackoffMs. */
  backoffBaseMs: number;
  maxBackoffMs: number;
  /**
   * The lease: how long one attempt may hold a session before its job is given to another worker,
   * whether or not the first is still alive. Longer than the scorer's deadline, so a slow judge
   * call is never scored twice.
   */
  attemptTimeoutMs: number;
  /**
   * How soon a worker that stopped (killed, its machine gone) loses its job: a working attempt
   * refreshes its job this often over, and a job not refreshed for this long is retried. Null leaves
   * only the lease. pg-boss takes 10 s at the least.
   */
  heartbeatMs: number | null;
  /** How often an idle worker looks for a job (a session ended on this process wakes it at once). */
  pollMs: number;
  /** How often lapsed leases and stopped heartbeats are looked for. */
  superviseMs: number;
  /** How often the outbox (sessions waiting for a score) is swept for any without a job. */
  outboxMs: number;
}

// Retries of a failing judge wait at most this long, so a recovered provider is used within minutes.
const maxBackoffMs = 300_000;

/**
 * The production numbers. The lease is twice the scorer's deadline and never under two minutes:
 * a judge call that is slow but alive finishes inside it, and the heartbeat (30 s) is what
 * notices a worker that died, so a long lease does not make a crash slow to recover from.
 */
export function scoringQueueSettings(
  scoring: { retryWindowMs: number; concurrency: number },
  scorerDeadlineMs: number,
  overrides: Partial<ScoringQueueSettings> = {},
): ScoringQueueSettings {
  const backoffBaseMs = overrides.backoffBaseMs ?? 2_000;
  const maxBackoff = overrides.maxBackoffMs ?? maxBackoffMs;
  return {
    concurrency: scoring.concurrency,
    maxAttempts: attemptsToCover(scoring.retryWindowMs, backoffBaseMs, maxBackoff),
    backoffBaseMs,
    maxBackoffMs: maxBackoff,
    attemptTimeoutMs: Math.max(2 * scorerDeadlineMs, 120_000),
    heartbeatMs: 30_000,
    pollMs: 2_000,
    superviseMs: 15_000,
    outboxMs: 30_000,
    ...overrides,
  };
}
