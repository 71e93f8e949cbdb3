import type { TranscriptRetention } from "@spar/domain";
import type { FastifyBaseLogger } from "fastify";

const hour = 3_600_000;

export interface RetentionSchedule {
  /** Stops the timer and waits for a sweep under way, so the database can close after it. */
  stop(): Promise<void>;
}

/**
 * Runs the retention sweep at start-up and then every `intervalMs` in this process. Every server
 * process runs its own: the sweep erases each transcript once however many run at once, so no
 * process has to be elected to do it.
 */
export function startRetentionSchedule(retention: TranscriptRetention, log: FastifyBaseLogger, intervalMs = hour): RetentionSchedule {
  let running: Promise<void> | null = null;
  let stopped = false;
  const sweep = () => {
    if (running || stopped) return;
    running = retention
      .sweep()
      .then((result) => {
        log.info(
          { sessions: result.sessions, turns: result.turns, scorecards: result.scorecards, cutoff: result.cutoff.toISOString(), retentionDays: retention.retentionDays },
          "transcript retention sweep",
        );
      })
      .catch((error: unknown) => log.error({ err: error }, "transcript retention sweep failed; it runs again within the hour"))
      .finally(() => {
        running = null;
      });
  };
  sweep();
  const timer = setInterval(sweep, intervalMs);
  // The schedule never keeps a process alive on its own.
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
