// `spar worker`: a process that only scores, beside servers that run with SPAR_SCORING_WORKER=off
// (or beside servers that score too). It stops on SIGTERM or SIGINT after the attempts in hand.
import { PrismaLibraryPublications, PrismaLibraryVersions, PrismaScoringStore } from "@spar/db";
import { systemClock } from "@spar/domain";
import Fastify from "fastify";
import { loggerOptions } from "../app.ts";
import { loggingLlmFailures } from "../llm-failure-log.ts";
import { repositoryRoot } from "../env.ts";
import { LibraryHolder } from "../library/library-holder.ts";
import { localEventBus } from "../events/event-bus.ts";
import { connectRedis, redisEventBus } from "../events/redis-event-bus.ts";
import { followPublications } from "../library/library-announcements.ts";
import { announceSessionEvent } from "../practice/reply-streams.ts";
import { createScorer, scorerDeadlineMs } from "../scorer.ts";
import { createScoringQueue } from "../scoring/create-scoring-queue.ts";
import { scoringQueueSettings } from "../scoring/scoring-queue-settings.ts";
import { describeDatabase, openConfiguredDatabase } from "../start.ts";

export async function runScoringWorker(): Promise<number> {
  const { config, database } = await openConfiguredDatabase();
  // Fastify's logger (pino with the server's redaction), without an HTTP server behind it.
  const logger = Fastify({ logger: loggerOptions(config) });
  const log = logger.log.child({ process: "scoring-worker" });
  const library = new LibraryHolder({
    dir: config.library.dir,
    baseDir: repositoryRoot,
    publications: new PrismaLibraryPublications(database.prisma),
    versions: new PrismaLibraryVersions(database.prisma),
    clock: systemClock,
    log,
  });
  // Scorecards reach learners' sockets through the servers' event bus; library publications
  // reach this process the same way (or by the periodic check without Redis).
  const bus = config.redisUrl ? redisEventBus(await connectRedis(config.redisUrl)) : localEventBus();
  let following: { stop: () => Promise<void> } | null = null;
  try {
    await library.start();
    following = await followPublications(bus, library, log);
    const { queue } = createScoringQueue({
      config,
      store: new PrismaScoringStore(database.prisma),
      scorer: createScorer(config, loggingLlmFailures(log), () => library.library),
      library: () => library.library,
      clock: systemClock,
      log,
      settings: scoringQueueSettings(config.scoring, scorerDeadlineMs(config)),
      // This process exists to score, whatever SPAR_SCORING_WORKER says for the servers.
      work: true,
    });
    const stopping = new Promise<string>((resolve) => {
      process.once("SIGTERM", () => resolve("SIGTERM"));
      process.once("SIGINT", () => resolve("SIGINT"));
    });
    if (bus.shared) {
      queue.onOutcome((outcome) => {
        if (outcome.kind === "retrying" && !outcome.nextAttemptAt) return;
        announceSessionEvent(bus, outcome.sessionId, "scoring").catch((error: unknown) => log.warn({ err: error }, "could not tell the servers a session was scored"));
      });
    } else {
      log.warn("REDIS_URL is unset: learners waiting on a server will not be told when this worker scores their session (they see it when they reopen it)");
    }
    await queue.start();
    log.info(
      {
        database: describeDatabase(config),
        engine: queue.engine,
        concurrency: config.scoring.concurrency,
        llm: config.llm.engine,
      },
      "scoring worker ready",
    );
    const signal = await stopping;
    log.info({ signal }, "scoring worker stopping");
    await queue.stop();
    log.info("scoring worker stopped");
    return 0;
  } finally {
    await following?.stop();
    await bus.close();
    await database.close();
    await logger.close();
  }
}
