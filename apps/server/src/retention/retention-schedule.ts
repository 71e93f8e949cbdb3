import type { TranscriptRetention } from "@spar/domain";
import type { FastifyBaseLogger } from "fastify";
import { runEvery, type Schedule } from "../schedule.ts";

const hour = 3_600_000;

/** Runs the retention sweep at start-up and then every `intervalMs`; each transcript is erased once. */
export function startRetentionSchedule(retention: TranscriptRetention, log: FastifyBaseLogger, intervalMs = hour): Schedule {
  return runEvery(intervalMs, () =>
    retention
      .sweep()
      .then((result) => {
        log.info(
          { sessions: result.sessions, turns: result.turns, scorecards: result.scorecards, cutoff: result.cutoff.toISOString(), retentionDays: retention.retentionDays },
          "transcript retention sweep",
        );
      })
      .catch((error: unknown) => log.error({ err: error }, "transcript retention sweep failed; it runs again within the hour")),
  );
}
