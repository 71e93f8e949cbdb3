import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { PrismaScoringStore } from "@spar/db";
import { type Assessment, type Clock, retriesAfter, type ScoringClaim } from "@spar/domain";
import type { ScoringFailureView } from "@spar/protocol";
import { fromPrisma, type Job, type JobInsert, type JobResult, PgBoss } from "pg-boss";
import { z } from "zod";
import {
  failureListLimit,
  failureView,
  OutcomeListeners,
  type ScoringOutcome,
  type ScoringQueue,
} from "./scoring-queue.ts";
import type { ScoringQueueSettings } from "./scoring-queue-settings.ts";
import type { WorkerLog } from "./scoring-worker.ts";

/** pg-boss keeps its tables in a schema of its own, apart from the one Prisma's migrations own. */
export const pgBossSchema = "pgboss";
export const scoringJobs = "scoring";
/** Where pg-boss copies each scoring job that failed for good, with its last error, for operators. */
export const failedScoringJobs = "scoring-failed";

const ScoringJobData = z.object({ sessionId: z.uuid() });
/** pg-boss's settling commands say how many jobs they changed; its published types leave that out. */
const Settled = z.object({ affected: z.coerce.number() });
const StartAfter = z.object({ startAfter: z.coerce.date() });

/** Waiting sessions sent to pg-boss per statement by the outbox sweep. */
const outboxPage = 500;

export interface PgBossQueueDeps {
  /** The PostgreSQL database the sessions live in; pg-boss opens a small pool of its own on it. */
  connectionString: string;
  store: PrismaScoringStore;
  /** Scores one claimed session (assessClaim with the configured scorer). */
  assess(claim: ScoringClaim): Promise<Assessment>;
  clock: Clock;
  log: WorkerLog;
  settings: ScoringQueueSettings;
  /** Whether this process scores (SPAR_SCORING_WORKER); off, it only sends jobs for other processes. */
  work: boolean;
}

/**
 * Scoring on pg-boss. The session row is the outbox: a session that ends is marked waiting in the
 * statement that ends it, and a sweep (at start, every outboxMs, and at once when a session ends
 * here) sends a job for every waiting session. The queue's `exclusive` policy allows one job per
 * singletonKey (the session id) that is queued, retrying or active, so sending again is harmless and
 * a session is never queued twice; once its job is settled, a rescore can queue it again, which a
 * job id fixed to the session id would not allow while pg-boss keeps the finished job.
 *
 * Each job's attempt settles its job in the same database transaction as what it writes on the
 * session row (the scorecard, the error and the next try's time, or the failure), through pg-boss's
 * Prisma adapter, fenced to the attempt it was given. An attempt whose lease lapsed (its worker
 * stalled or was presumed dead and the job went to another) finds the job no longer its own and
 * stores nothing, so two workers never score one session twice.
 */
export class PgBossScoringQueue implements ScoringQueue {
  readonly engine = "pg-boss" as const;
  /** Names this process's worker in its log lines, as the embedded database's worker does. */
  readonly id = `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
  readonly #log: WorkerLog;
  readonly #boss: PgBoss;
  readonly #outcomes: OutcomeListeners;
  #workerId: string | null = null;
  #sweepTimer: NodeJS.Timeout | null = null;
  #sending: Promise<void> | null = null;
  #wanted: "all" | "last-ended" | null = null;

  constructor(private readonly deps: PgBossQueueDeps) {
    const { settings } = deps;
    this.#log = deps.log.child({ scoringWorker: this.id });
    this.#outcomes = new OutcomeListeners((error) =>
      this.#log.error({ err: error }, "a scoring outcome listener failed"),
    );
    this.#boss = new PgBoss({
      connectionString: deps.connectionString,
      schema: pgBossSchema,
      // A connection for each attempt in hand (its heartbeat and settling), one for fetching and
      // one for supervision.
      max: settings.concurrency + 2,
      application_name: "spar-scoring",
      superviseIntervalSeconds: seconds(settings.superviseMs),
      monitorIntervalSeconds: seconds(settings.superviseMs),
      // Spar schedules nothing through pg-boss.
      schedule: false,
    });
    this.#boss.on("error", (error) => this.#log.error({ err: error }, "pg-boss reported an error"));
    this.#boss.on("warning", (warning) => this.#log.warn({ warning: warning.data }, warning.message));
  }

  async start(): Promise<void> {
    const { settings } = this.deps;
    await this.#boss.start();
    // Jobs in the dead-letter queue are kept for operators, not worked; a retry removes its copy.
    await this.#boss.createQueue(failedScoringJobs, { retentionSeconds: 30 * 86_400 });
    await this.#boss.createQueue(scoringJobs, {
      policy: "exclusive",
      deadLetter: failedScoringJobs,
      ...this.#jobPolicy(),
    });
    if (this.deps.work) {
      this.#workerId = await this.#boss.work(
        scoringJobs,
        {
          localConcurrency: settings.concurrency,
          batchSize: 1,
          // pg-boss polls at most every half second.
          pollingIntervalSeconds: Math.max(0.5, settings.pollMs / 1000),
          perJobResults: true,
        },
        (jobs) => Promise.all(jobs.map((job) => this.#attempt(job))),
      );
    }
    await this.#sendWaiting("all");
    this.#sweepTimer = setInterval(() => void this.#sendWaiting("all"), settings.outboxMs);
    this.#sweepTimer.unref();
  }

  /** Attempts still in hand when the grace runs out are failed back to the queue, to be retried. */
  async stop(): Promise<void> {
    if (this.#sweepTimer) clearInterval(this.#sweepTimer);
    this.#sweepTimer = null;
    await this.#sending;
    // Under the 10 s a server gives itself to close (server.ts), so the rest of the close still runs.
    await this.#boss.stop({ graceful: true, timeout: 8_000 });
  }

  sessionEnded(): void {
    void this.#sendWaiting("last-ended");
  }

  async enqueue(sessionId: string): Promise<void> {
    await this.#boss.send(scoringJobs, { sessionId }, { singletonKey: sessionId, ...this.#jobPolicy() });
    this.#wakeWorker();
  }

  async retry(sessionId: string): Promise<boolean> {
    const queued = await this.deps.store.requestRescore(sessionId, null, this.deps.clock.now(), true);
    if (!queued) return false;
    const dead = await this.#boss.findJobs(failedScoringJobs, { key: sessionId, queued: true });
    if (dead.length > 0) {
      await this.#boss.deleteJob(
        failedScoringJobs,
        dead.map((job) => job.id),
      );
    }
    await this.enqueue(sessionId);
    return true;
  }

  async failed(): Promise<ScoringFailureView[]> {
    return (await this.deps.store.failures(failureListLimit)).map(failureView);
  }

  onOutcome(listener: (outcome: ScoringOutcome) => void): () => void {
    return this.#outcomes.add(listener);
  }

  /**
   * The retry and lease policy each job carries from the moment it is sent (pg-boss copies the
   * queue's options onto a job when it is created, so a job keeps the policy it was queued with).
   */
  #jobPolicy() {
    const { settings } = this.deps;
    return {
      retryLimit: settings.maxAttempts - 1,
      retryDelay: seconds(settings.backoffBaseMs),
      retryBackoff: true,
      retryDelayMax: seconds(settings.maxBackoffMs),
      expireInSeconds: seconds(settings.attemptTimeoutMs),
      ...(settings.heartbeatMs ? { heartbeatSeconds: Math.max(10, seconds(settings.heartbeatMs)) } : {}),
    };
  }

  #wakeWorker(): void {
    if (this.#workerId) this.#boss.notifyWorker(this.#workerId);
  }

  /**
   * Sends a job for every waiting session, or only for those that ended last (a session just ended
   * here is among them). One round runs at a time; what is asked for meanwhile runs after it.
   */
  #sendWaiting(which: "all" | "last-ended"): Promise<void> {
    this.#wanted = this.#wanted === "all" || which === "all" ? "all" : "last-ended";
    this.#sending ??= (async () => {
      for (let round = this.#wanted; round; round = this.#wanted) {
        this.#wanted = null;
        try {
          await (round === "all" ? this.#sweepOutbox() : this.#send(await this.deps.store.lastEndedWaiting(50)));
        } catch (error) {
          this.#log.warn(
            { err: error },
            "could not send waiting sessions to the scoring queue; the next sweep tries again",
          );
        }
      }
    })().finally(() => {
      this.#sending = null;
    });
    return this.#sending;
  }

  async #sweepOutbox(): Promise<void> {
    await this.deps.store.releaseLapsedClaims(this.deps.clock.now());
    let after: string | undefined;
    for (;;) {
      const page = await this.deps.store.waitingSessions(outboxPage, after);
      await this.#send(page);
      if (page.length < outboxPage) return;
      after = page.at(-1);
    }
  }

  async #send(sessionIds: string[]): Promise<void> {
    if (sessionIds.length === 0) return;
    const policy = this.#jobPolicy();
    // A session with a job queued, retrying or active already is skipped by the queue's unique key.
    const jobs: JobInsert[] = sessionIds.map((sessionId) => ({
      data: { sessionId },
      singletonKey: sessionId,
      ...policy,
    }));
    await this.#boss.insert(scoringJobs, jobs);
    this.#wakeWorker();
  }

  /** One attempt at one job: claim the session, score it, and settle the job with what came of it. */
  async #attempt(job: Job<unknown>): Promise<JobResult> {
    const data = ScoringJobData.safeParse(job.data);
    if (!data.success) return { id: job.id, status: "deadletter", output: { message: "not a scoring job" } };
    const { sessionId } = data.data;
    const { store, settings, clock } = this.deps;
    const log = this.#log.child({ jobId: job.id, sessionId, retryCount: job.retryCount });
    // The attempt this worker was given: pg-boss settles a job only while this attempt holds it.
    const attempt = { id: job.id, retryCount: job.retryCount };
    const holds = async (transaction: Parameters<typeof fromPrisma>[0]) =>
      affectedOne(await this.#boss.touch(scoringJobs, attempt, { db: fromPrisma(transaction) }));

    const claim = await store.claimSession(sessionId);
    if (!claim)
      return { id: job.id, status: "completed", output: { skipped: "the session was not waiting for a score" } };
    let assessment: Assessment;
    if (claim.attempt > settings.maxAttempts) {
      // The session's earlier attempts all ended without an answer (their workers stopped, or each
      // outran its lease), and pg-boss gave up on that job; this one was sent by the outbox after.
      assessment = {
        ok: false,
        message: `scoring did not finish in ${settings.maxAttempts} attempts`,
        retryable: false,
      };
    } else {
      try {
        assessment = await this.deps.assess(claim);
      } catch (error) {
        log.error({ err: error }, "scoring threw");
        assessment = {
          ok: false,
          message: `scoring failed: ${error instanceof Error ? error.message : String(error)}`,
          retryable: true,
        };
      }
    }

    if (assessment.ok) {
      const scorecardId = await store.storeScorecard(
        sessionId,
        assessment.draft,
        assessment.meta,
        clock.now(),
        async (transaction) =>
          affectedOne(
            await this.#boss.complete(scoringJobs, attempt, { scored: true }, { db: fromPrisma(transaction) }),
          ),
      );
      if (!scorecardId) return this.#lostLease(log, job, sessionId, "the lease lapsed before the scorecard was stored");
      log.info({ scorecardId }, "session scored");
      this.#outcomes.tell({ kind: "scored", sessionId, scorecardId });
      return { id: job.id, status: "completed" };
    }

    const { message } = assessment;
    if (!retriesAfter(assessment, claim.attempt, settings.maxAttempts)) {
      if (!(await store.recordFailure(sessionId, message, holds))) return this.#lostLease(log, job, sessionId, message);
      log.error({ error: message, attempt: claim.attempt }, "scoring failed for good");
      this.#outcomes.tell({ kind: "failed", sessionId, error: message });
      // Past any retries left: pg-boss fails the job for good and copies it to the dead letters.
      return { id: job.id, status: "deadletter", output: { message } };
    }
    const retryAt = await store.recordRetry(sessionId, message, async (transaction) => {
      const db = fromPrisma(transaction);
      if (!affectedOne(await this.#boss.fail(scoringJobs, attempt, { message }, { db }))) return null;
      const [retrying] = await this.#boss.findJobs(scoringJobs, { id: job.id, db });
      return retrying ? StartAfter.parse(retrying).startAfter : null;
    });
    if (!retryAt) return this.#lostLease(log, job, sessionId, message);
    log.warn({ error: message, attempt: claim.attempt, retryAt }, "scoring failed; will retry");
    this.#outcomes.tell({ kind: "retrying", sessionId, error: message, nextAttemptAt: retryAt });
    // Settled above with the session row; pg-boss's own settling of it finds nothing left to do.
    return { id: job.id, status: "failed", output: { message } };
  }

  #lostLease(log: WorkerLog, job: Job<unknown>, sessionId: string, error: string): JobResult {
    log.warn({ error }, "the scoring job was no longer this attempt's; nothing stored");
    this.#outcomes.tell({ kind: "retrying", sessionId, error, nextAttemptAt: null });
    return { id: job.id, status: "failed", output: { message: error } };
  }
}

function affectedOne(response: unknown): boolean {
  return Settled.parse(response).affected === 1;
}

/** pg-boss counts in whole seconds; a setting under a second rounds up to one. */
function seconds(milliseconds: number): number {
  return Math.max(1, Math.ceil(milliseconds / 1000));
}
