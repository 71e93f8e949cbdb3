import type { PrismaScoringStore } from "@spar/db";
import type { Clock, ScoringService } from "@spar/domain";
import type { ScoringFailureView } from "@spar/protocol";
import {
  failureListLimit,
  failureView,
  OutcomeListeners,
  type ScoringOutcome,
  type ScoringQueue,
} from "./scoring-queue.ts";
import type { ScoringQueueSettings } from "./scoring-queue-settings.ts";
import { type FinishedStep, type WorkerLog, ScoringWorker } from "./scoring-worker.ts";

export interface InProcessQueueDeps {
  service: ScoringService;
  store: PrismaScoringStore;
  clock: Clock;
  log: WorkerLog;
  settings: Pick<ScoringQueueSettings, "concurrency" | "pollMs">;
  /** Whether this process scores (SPAR_SCORING_WORKER); off, sessions wait for a process that does. */
  work: boolean;
}

/**
 * The embedded database's queue: the session rows are the queue, claimed with a lease on the row
 * (ScoringService.scoreNext). One process owns a PGlite data directory, so nothing more is needed,
 * and a single process behaves as it always has.
 */
export class InProcessScoringQueue implements ScoringQueue {
  readonly engine = "in-process" as const;
  readonly #worker: ScoringWorker | null;
  readonly #outcomes: OutcomeListeners;

  constructor(private readonly deps: InProcessQueueDeps) {
    this.#outcomes = new OutcomeListeners((error) =>
      deps.log.error({ err: error }, "a scoring outcome listener failed"),
    );
    this.#worker = deps.work
      ? new ScoringWorker(
          deps.service,
          deps.log,
          deps.settings.pollMs,
          (step) => this.#outcomes.tell(outcomeOf(step)),
          deps.settings.concurrency,
        )
      : null;
  }

  async start(): Promise<void> {
    if (this.#worker) {
      const released = await this.deps.store.releaseAllClaims();
      if (released > 0)
        this.deps.log.info({ released }, "took back the scoring claims of the process that had this database before");
    }
    this.#worker?.start();
  }

  async stop(): Promise<void> {
    await this.#worker?.stop();
  }

  sessionEnded(): void {
    this.#worker?.wake();
  }

  /** The row is the queue entry already (the rescore marked it waiting): only wake the worker. */
  async enqueue(_sessionId: string): Promise<void> {
    this.#worker?.wake();
  }

  async retry(sessionId: string): Promise<boolean> {
    const queued = await this.deps.store.requestRescore(sessionId, null, this.deps.clock.now(), true);
    if (queued) this.#worker?.wake();
    return queued;
  }

  async failed(): Promise<ScoringFailureView[]> {
    return (await this.deps.store.failures(failureListLimit)).map(failureView);
  }

  onOutcome(listener: (outcome: ScoringOutcome) => void): () => void {
    return this.#outcomes.add(listener);
  }
}

function outcomeOf(step: FinishedStep): ScoringOutcome {
  if (step.kind === "scored") return { kind: "scored", sessionId: step.sessionId, scorecardId: step.scorecardId };
  if (step.kind === "retrying")
    return { kind: "retrying", sessionId: step.sessionId, error: step.error, nextAttemptAt: step.retryAt };
  return { kind: "failed", sessionId: step.sessionId, error: step.error };
}
