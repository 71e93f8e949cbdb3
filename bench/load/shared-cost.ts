// What each practice exchange costs the shared parts (PostgreSQL and Redis) with two server
// processes, and what the Redis hop adds to a reply's first token when the learner's socket is on
// another process than the one generating the reply, against the same process, in one run.
import { Redis } from "ioredis";
import { PracticeClient } from "../../tests/fixtures/practice-client.ts";
import { startEnvironment } from "./load-environment.ts";
import { percentile } from "./stats.ts";

export interface SharedCostFigures {
  exchanges: number;
  postgres: { transactionsPerExchange: number; rowsWrittenPerExchange: number; rowsReadPerExchange: number };
  redis: { commandsPerExchange: number; publishesPerExchange: number; bytesPerExchange: number; commandsByName: Record<string, number> };
  /** Client receipt of a reply's first token minus the moment the model wrote it, by where the socket is. */
  firstTokenAdded: { sameProcess: { p50: number; p95: number }; otherProcess: { p50: number; p95: number }; samples: number };
}

interface PgStats {
  xact_commit: number;
  tup_inserted: number;
  tup_updated: number;
  tup_deleted: number;
  tup_fetched: number;
}

async function pgStats(database: NonNullable<Awaited<ReturnType<typeof startEnvironment>>["database"]>): Promise<PgStats> {
  // Backends report their counts within a second of going idle: callers wait that long first.
  const [row] = await database.prisma.$queryRaw<PgStats[]>`
    SELECT xact_commit::float8 AS xact_commit, tup_inserted::float8 AS tup_inserted, tup_updated::float8 AS tup_updated,
           tup_deleted::float8 AS tup_deleted, tup_fetched::float8 AS tup_fetched
    FROM pg_stat_database WHERE datname = current_database()`;
  if (!row) throw new Error("no statistics for the benchmark database");
  return row;
}

async function redisStats(redis: Redis): Promise<{ commands: Record<string, number>; bytes: number }> {
  const commandStats = await redis.info("commandstats");
  const commands: Record<string, number> = {};
  for (const line of commandStats.split("\n")) {
    const match = /^cmdstat_([\w|]+):calls=(\d+)/.exec(line.trim());
    if (match) commands[match[1] as string] = Number(match[2]);
  }
  const stats = await redis.info("stats");
  const number = (name: string) => Number(new RegExp(`${name}:(\\d+)`).exec(stats)?.[1] ?? 0);
  return { commands, bytes: number("total_net_input_bytes") + number("total_net_output_bytes") };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `learners` learners, each with a speaking socket on one process and a following socket on the
 * same or the other process (half each), take `turns` turns one after another, thinking about
 * `thinkMs` between them. Statistics of the
 * benchmark's own database and of Redis are read before and after.
 */
export async function sharedCostRun(settings: { learners: number; turns: number; thinkMs: number }): Promise<SharedCostFigures> {
  const environment = await startEnvironment({
    database: "postgresql",
    nodes: 2,
    accounts: settings.learners,
    coalesceMs: 0,
    scoring: false,
    model: { firstToken: 20, tokensPerSecond: 200, replyTokens: 40, stamp: true },
  });
  const database = environment.database;
  if (!database || !environment.redisUrl) throw new Error("the shared-cost run needs PostgreSQL and Redis");
  const redis = new Redis(environment.redisUrl);
  const clients: PracticeClient[] = [];
  try {
    const urls = environment.servers.map((server) => server.baseUrl);
    const pairs = await Promise.all(
      environment.accounts.slice(0, settings.learners).map(async (account, index) => {
        const speaker = await PracticeClient.connect(urls[index % 2] as string, account.cookie);
        const sameProcess = Math.floor(index / 2) % 2 === 0;
        const follower = await PracticeClient.connect(urls[sameProcess ? index % 2 : (index + 1) % 2] as string, account.cookie);
        clients.push(speaker, follower);
        speaker.send({ type: "session-start", scenarioId: "price-objection" });
        const { session } = await speaker.next("session-ready", () => true, 60_000).catch((error) => { throw new Error(`${error.message}: ${JSON.stringify(speaker.received)}`); });
        follower.send({ type: "session-resume", sessionId: session.id, lastSeq: 1 });
        await follower.next("session-ready", () => true, 60_000);
        return { speaker, follower, sessionId: session.id, sameProcess };
      }),
    );
    await sleep(2_000); // let the statistics collector settle after the set-up
    const pgBefore = await pgStats(database);
    const redisBefore = await redisStats(redis);

    const added: { same: number[]; other: number[] } = { same: [], other: [] };
    await Promise.all(
      pairs.map(async ({ speaker, follower, sessionId, sameProcess }) => {
        for (let turn = 0; turn < settings.turns; turn++) {
          const since = follower.mark;
          const { seq } = await speaker.say(sessionId, "Help me understand how you're comparing the two offers.");
          const first = await follower.next("reply-delta", (message) => message.seq === seq + 1, 30_000, since);
          const receivedAt = follower.arrivals.get(first) ?? Number.NaN;
          const emittedAt = Number.parseFloat(first.text);
          (sameProcess ? added.same : added.other).push(receivedAt - emittedAt);
          await follower.next("reply-end", (message) => message.turn.seq === seq + 1, 30_000, since);
          // Learners think between turns: a loaded but not saturated machine, so what differs
          // between the two kinds of socket is the hop, not a queue behind an overloaded core.
          await sleep(settings.thinkMs * (0.5 + Math.random()));
        }
      }),
    );
    await sleep(1_500);
    const pgAfter = await pgStats(database);
    const redisAfter = await redisStats(redis);

    const exchanges = settings.learners * settings.turns;
    const commandsByName: Record<string, number> = {};
    for (const [name, calls] of Object.entries(redisAfter.commands)) {
      const delta = calls - (redisBefore.commands[name] ?? 0);
      // INFO itself is the benchmark's own reading.
      if (delta > 0 && name !== "info") commandsByName[name] = delta / exchanges;
    }
    const commands = Object.values(commandsByName).reduce((sum, value) => sum + value, 0);
    const summary = (values: number[]) => ({ p50: percentile(values, 50), p95: percentile(values, 95) });
    return {
      exchanges,
      postgres: {
        transactionsPerExchange: (pgAfter.xact_commit - pgBefore.xact_commit) / exchanges,
        rowsWrittenPerExchange: (pgAfter.tup_inserted + pgAfter.tup_updated + pgAfter.tup_deleted - pgBefore.tup_inserted - pgBefore.tup_updated - pgBefore.tup_deleted) / exchanges,
        rowsReadPerExchange: (pgAfter.tup_fetched - pgBefore.tup_fetched) / exchanges,
      },
      redis: {
        commandsPerExchange: commands,
        publishesPerExchange: commandsByName.publish ?? 0,
        bytesPerExchange: (redisAfter.bytes - redisBefore.bytes) / exchanges,
        commandsByName,
      },
      firstTokenAdded: { sameProcess: summary(added.same), otherProcess: summary(added.other), samples: added.same.length + added.other.length },
    };
  } finally {
    for (const client of clients) client.close();
    redis.disconnect();
    await environment.stop();
  }
}
