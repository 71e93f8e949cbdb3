// Everything a load run needs, started from nothing: a database (PGlite or a new PostgreSQL
// database), learner accounts, the fake model, and one or more server processes on it.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { type Database, migrateDatabase, openDatabase } from "@spar/db";
import { createPostgresTestDatabase, type PostgresTestDatabase } from "@spar/db/testing";
import { freePort } from "../../tests/fixtures/processes.ts";
import { startFakeModel, type ModelSettings } from "./fake-model.ts";
import { createLearnerAccounts, type LearnerAccount } from "./learner-accounts.ts";
import { type ServerProcess, startServerProcess } from "./server-process.ts";

export interface EnvironmentSettings {
  database: "pglite" | "postgresql";
  nodes: number;
  accounts: number;
  coalesceMs: number;
  scoring: boolean;
  model: ModelSettings;
  /** Redis for what the processes share; on by default with more than one node (they need it). */
  redisUrl?: string | null;
}

/** The Redis the benchmarks use, as the tests do. */
export const benchRedisUrl = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

export type LoadEnvironment = Awaited<ReturnType<typeof startEnvironment>>;

export async function startEnvironment(settings: EnvironmentSettings) {
  const model = await startFakeModel(settings.model);
  let postgres: PostgresTestDatabase | null = null;
  let dataDir: string | null = null;
  let database: Database;
  if (settings.database === "postgresql") {
    postgres = await createPostgresTestDatabase();
    database = await openDatabase({ kind: "postgresql", url: postgres.url, poolSize: 2 });
  } else {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "spar-load-"));
    database = await openDatabase({ kind: "pglite", dataDir });
  }
  await migrateDatabase(database);
  const accounts: LearnerAccount[] = await createLearnerAccounts(database, settings.accounts);
  // PGlite belongs to one process at a time: the server's, from here on.
  if (settings.database === "pglite") await database.close();

  const redisUrl = settings.redisUrl !== undefined ? settings.redisUrl : settings.nodes > 1 ? benchRedisUrl : null;
  const environment = {
    OPENAI_API_KEY: "sk-bench",
    OPENAI_BASE_URL: model.fake.baseUrl,
    SPAR_PERSONA_MODEL: "bench-persona",
    SPAR_JUDGE_MODEL: "bench-judge",
    SPAR_SCORING_WORKER: settings.scoring ? "on" : "off",
    SPAR_STREAM_COALESCE_MS: String(settings.coalesceMs),
    // With the fake's audio endpoints, speech runs there too (voice runs).
    ...(settings.model.audio ? { SPAR_STT_INTERIM_MS: "1500", SPAR_PRACTICE_MESSAGES_PER_SECOND: "100", SPAR_PRACTICE_MESSAGE_BURST: "100" } : {}),
    ...(postgres ? { DATABASE_URL: postgres.url } : { SPAR_DATA_DIR: dataDir as string }),
    ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
  };
  const servers: ServerProcess[] = [];
  try {
    for (let node = 0; node < settings.nodes; node++) servers.push(await startServerProcess(environment, await freePort()));
  } catch (error) {
    await Promise.all(servers.map((server) => server.stop()));
    throw error;
  }

  return {
    servers,
    accounts,
    fake: model.fake,
    prefixes: model.prefixes,
    redisUrl,
    /** The benchmark's own connection (PostgreSQL only: PGlite is the server's). */
    database: postgres ? database : null,
    async stop() {
      await Promise.all(servers.map((server) => server.stop()));
      await model.fake.close();
      if (postgres) {
        await database.close();
        await postgres.drop();
      }
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
