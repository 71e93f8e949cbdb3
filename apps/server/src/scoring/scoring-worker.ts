import { randomBytes, randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { ScoringService, ScoringStep } from "@spar/domain";
import type { FastifyBaseLogger } from "fastify";

type WorkerLog = Pick<FastifyBaseLogger, "info" | "warn" | "error"> & { child(bindings: Record<string, unknown>): WorkerLog };

/** What became of one claimed session. */
export type ScoringOutcome = Exclude<ScoringStep, { kind: "idle" }>;

/**
 * Scores ended sessions in the background of a server process. Work is claimed from the
 * database, so any number of processes can run a worker: each session is scored once, and one
 * left claimed by a crashed process is taken over when its lease lapses. Its log lines carry
 * the worker's id, and a job id with the session id for each session it took.
 */
export class ScoringWorker {
  readonly id = `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
  #running = false;
  #loop: Promise<void> | null = null;
  #wake: (() => void) | null = null;
  private readonly log: WorkerLog;

  constructor(
    private readonly service: ScoringService,
    log: WorkerLog,
    private readonly pollMs: number,
    /** Told what became of each session taken (the metrics count it). */
    private readonly finished: (outcome: ScoringOutcome) => void = () => {},
  ) {
    this.log = log.child({ scoringWorker: this.id });
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.run();
  }

  /** Looks for work now rather than at the next poll (a session just ended here). */
  wake(): void {
    this.#wake?.();
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.wake();
    await this.#loop;
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
      if (!busy && this.#running) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.pollMs);
          this.#wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.#wake = null;
      }
    }
  }
}
