import type { Database } from "./database.ts";
import { migrationsDir, readMigrationFiles } from "./migrations/migration-files.ts";
import { applyMigrations, type MigrationReport } from "./migrations/migration-runner.ts";

/** Brings the database up to the newest migration shipped in prisma/migrations. */
export async function migrateDatabase(database: Database, dir = migrationsDir): Promise<MigrationReport> {
  const files = await readMigrationFiles(dir);
  return database.withConnection((connection) => applyMigrations(connection, files));
}
