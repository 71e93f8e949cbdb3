import { type Database, DatabaseInUseByAnotherProcessError, DataDirectoryInUseError, MigrationError, migrateDatabase, openDatabase } from "@spar/db";
import { RedisUnavailableError } from "./events/redis-event-bus.ts";
import { type AppConfig, ConfigError, checkServingConfig, loadConfig } from "./env.ts";

/** Errors a person can fix by reading the message: shown without a stack trace. */
export function isExplainedError(error: unknown): error is Error {
  return (
    error instanceof ConfigError ||
    error instanceof MigrationError ||
    error instanceof DataDirectoryInUseError ||
    error instanceof DatabaseInUseByAnotherProcessError ||
    error instanceof RedisUnavailableError
  );
}

export function describeDatabase(config: AppConfig): string {
  return config.database.kind === "pglite"
    ? `embedded PGlite in ${config.database.dataDir}`
    : `PostgreSQL at ${redactUrl(config.database.url)}`;
}

function redactUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = "***";
  return parsed.toString();
}

/**
 * Reads the configuration, opens the database and applies pending migrations. A server (`serving`)
 * also checks what only serving needs, before it touches the database.
 */
export async function openConfiguredDatabase(environment?: Record<string, string | undefined>, options: { serving?: boolean } = {}) {
  const config = loadConfig(environment);
  if (options.serving) checkServingConfig(config);
  const database: Database = await openDatabase(config.database);
  try {
    const migration = await migrateDatabase(database);
    return { config, database, migration };
  } catch (error) {
    await database.close();
    throw error;
  }
}

export { ConfigError };
