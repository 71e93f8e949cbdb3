import { randomBytes, randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { ScoringService, ScoringStep } from "@spar/domain";
import type { FastifyBaseLogger } from "fastify";

export type WorkerLog = Pick<FastifyBaseLogger, "info" | "warn" | "error"> & {
  child(bindings: Record<string, unknown>): WorkerLog;
};

/** What became of one claimed session. */
export type FinishedStep = Exclude<ScoringStep, { kind: "idle" }>;

/**
 * Scores ended sessions in the background of a process by claiming them from the session rows:
 * the in-process queue of the embedded database. Claims are taken with SKIP LOCKED, so several
 * loops (and processes) each take a different session, and one left claimed by a crashed process
 * is taken over when its lease lapses. Its log lines carry the worker's id, and a job id with the
 * session id for each session it took.
 */
export class ScoringWorker {
  readonly id = `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
  #running = false;
  #loops: Promise<void>[] = [];
  readonly #wakers = new Set<() => void>();
  private readonly log: WorkerLog;

  constructor(
    private readonly service: ScoringService,
    log: WorkerLog,
    private readonly pollMs: number,
    /** Told what became of each session taken (the metrics count it, the queue tells its listeners). */
    private readonly finished: (step: FinishedStep) => void = () => {},
    /** Sessions scored at once: each loop claims its own. */
    private readonly concurrency = 1,
  ) {
    this.log = log.child({ scoringWorker: this.id });
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loops = Array.from({ length: this.concurrency }, () => this.run());
  }

  /** Looks for work now rather than at the next poll (a session just ended here). */
  wake(): void {
    for (const wake of this.#wakers) wake();
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.wake();
    await Promise.all(this.#loops);
  }

  private async run(): Promise<void> {
    while (this.#running) {
      let busy = false;
      const jobId = randomUUID();
      try {
        const step = await this.service.scoreNext(this.id);
        busy = step.kind !== "idle";
        if (step.kind !== "idle") {
          this.finished(step);
          const job = this.log.child({ jobId, sessionId: step.sessionId });
          if (step.kind === "scored") job.info({ scorecardId: step.scorecardId }, "session scored");
          if (step.kind === "retrying") job.warn({ error: step.error }, "scoring failed; will retry");
          if (step.kind === "failed") job.error({ error: step.error }, "scoring failed for good");
        }
      } catch (error) {
        this.log.error({ err: error, jobId }, "scoring worker step failed");
      }
      if (!busy && this.#running) await this.pause();
    }
  }

  private pause(): Promise<void> {
    return new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.#wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, this.pollMs);
      this.#wakers.add(wake);
    });
  }
}
