import type { PrismaScoringStore } from "@spar/db";
import { assessClaim, type Clock, type Library, ScoringService, type TranscriptScorer } from "@spar/domain";
import type { AppConfig } from "../env.ts";
import { InProcessScoringQueue } from "./in-process-scoring-queue.ts";
import { PgBossScoringQueue } from "./pg-boss-scoring-queue.ts";
import type { ScoringQueue } from "./scoring-queue.ts";
import type { ScoringQueueSettings } from "./scoring-queue-settings.ts";
import type { WorkerLog } from "./scoring-worker.ts";

export interface ScoringQueueDeps {
  config: Pick<AppConfig, "database">;
  store: PrismaScoringStore;
  scorer: TranscriptScorer;
  library: () => Library;
  clock: Clock;
  log: WorkerLog;
  settings: ScoringQueueSettings;
  /** Whether this process scores, or only queues sessions for processes that do. */
  work: boolean;
}

/**
 * The queue for the configured database: pg-boss on PostgreSQL, the embedded database's own
 * worker on PGlite. Both are behind one interface, so nothing else knows which runs. The row-claim
 * service is returned too: tests of the embedded queue drive it a step at a time.
 */
export function createScoringQueue(deps: ScoringQueueDeps): { queue: ScoringQueue; service: ScoringService } {
  const { settings } = deps;
  const service = new ScoringService({
    store: deps.store,
    scorer: deps.scorer,
    library: deps.library,
    clock: deps.clock,
    maxAttempts: settings.maxAttempts,
    backoffBaseMs: settings.backoffBaseMs,
    maxBackoffMs: settings.maxBackoffMs,
    leaseMs: settings.attemptTimeoutMs,
  });
  const log = deps.log.child({ component: "scoring" });
  if (deps.config.database.kind === "postgresql") {
    const queue = new PgBossScoringQueue({
      connectionString: deps.config.database.url,
      store: deps.store,
      assess: (claim) => assessClaim({ scorer: deps.scorer, library: deps.library }, claim),
      clock: deps.clock,
      log,
      settings,
      work: deps.work,
    });
    return { queue, service };
  }
  return {
    queue: new InProcessScoringQueue({ service, store: deps.store, clock: deps.clock, log, settings, work: deps.work }),
    service,
  };
}
