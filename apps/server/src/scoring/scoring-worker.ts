import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { ScoringService } from "@spar/domain";
import type { FastifyBaseLogger } from "fastify";

/**
 * Scores ended sessions in the background of a server process. Work is claimed from the
 * database, so any number of processes can run a worker: each session is scored once, and one
 * left claimed by a crashed process is taken over when its lease lapses.
 */
export class ScoringWorker {
  readonly id = `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
  #running = false;
  #loop: Promise<void> | null = null;
  #wake: (() => void) | null = null;

  constructor(
    private readonly service: ScoringService,
    private readonly log: Pick<FastifyBaseLogger, "info" | "warn" | "error">,
    private readonly pollMs: number,
  ) {}

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
      try {
        const step = await this.service.scoreNext(this.id);
        busy = step.kind !== "idle";
        if (step.kind === "scored") this.log.info({ sessionId: step.sessionId, scorecardId: step.scorecardId }, "session scored");
        if (step.kind === "retrying") this.log.warn({ sessionId: step.sessionId, error: step.error }, "scoring failed; will retry");
        if (step.kind === "failed") this.log.error({ sessionId: step.sessionId, error: step.error }, "scoring failed for good");
      } catch (error) {
        this.log.error({ err: error }, "scoring worker step failed");
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
