import { randomUUID } from "node:crypto";
import type { SqlConnection } from "../sql-connection.ts";
import type { MigrationFile } from "./migration-files.ts";

// Prisma's bookkeeping table exactly as its schema engine creates it, so `prisma migrate status`
// on a machine with Prisma's native tooling sees the same history.
const createBookkeepingTable = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

// Any constant works; it keeps two server processes on one PostgreSQL from migrating at once.
const advisoryLockKey = 7_317_712_001;

interface MigrationRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

export class MigrationError extends Error {
  constructor(
    readonly code: "MIGRATION_FAILED" | "MIGRATION_HISTORY_BROKEN",
    message: string,
  ) {
    super(message);
  }
}

export interface MigrationReport {
  applied: string[];
  /** The newest migration applied, or null on an empty database. */
  level: string | null;
  /** Applied migrations whose file changed afterwards: worth a warning, not a refusal. */
  modifiedAfterApply: string[];
}

async function readHistory(connection: SqlConnection): Promise<MigrationRow[]> {
  return connection.query<MigrationRow>(
    `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at`,
  );
}

/**
 * Applies the migrations the database has not seen, oldest first, each in its own transaction
 * together with its bookkeeping row, so a crash or a failing statement leaves nothing half done.
 * A failure is recorded the way Prisma records a rolled-back migration and stops the start-up.
 */
export async function applyMigrations(
  connection: SqlConnection,
  files: MigrationFile[],
): Promise<MigrationReport> {
  await connection.exec(createBookkeepingTable);
  await connection.query("SELECT pg_advisory_lock($1)", [advisoryLockKey]);
  try {
    const history = await readHistory(connection);
    const stuck = history.find((row) => row.finished_at === null && row.rolled_back_at === null);
    if (stuck) {
      throw new MigrationError(
        "MIGRATION_HISTORY_BROKEN",
        `Migration ${stuck.migration_name} started earlier and never finished. Check the database, then run ` +
          `\`prisma migrate resolve --rolled-back ${stuck.migration_name}\` (or mark it rolled back in _prisma_migrations).`,
      );
    }
    const finished = new Map(
      history.filter((row) => row.finished_at !== null && row.rolled_back_at === null).map((row) => [row.migration_name, row]),
    );
    const modifiedAfterApply = files
      .filter((file) => {
        const row = finished.get(file.name);
        return row !== undefined && row.checksum !== file.checksum;
      })
      .map((file) => file.name);

    const applied: string[] = [];
    for (const file of files.filter((candidate) => !finished.has(candidate.name))) {
      await applyOne(connection, file);
      applied.push(file.name);
    }
    const names = new Set([...finished.keys(), ...applied]);
    const level = files.map((file) => file.name).filter((name) => names.has(name)).at(-1) ?? null;
    return { applied, level, modifiedAfterApply };
  } finally {
    await connection.query("SELECT pg_advisory_unlock($1)", [advisoryLockKey]);
  }
}

async function applyOne(connection: SqlConnection, file: MigrationFile): Promise<void> {
  const id = randomUUID();
  await connection.exec("BEGIN");
  try {
    await connection.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at) VALUES ($1, $2, $3, now())`,
      [id, file.checksum, file.name],
    );
    await connection.exec(file.sql);
    await connection.query(
      `UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1`,
      [id],
    );
    await connection.exec("COMMIT");
  } catch (error) {
    await connection.exec("ROLLBACK");
    const reason = error instanceof Error ? error.message : String(error);
    // Recorded as rolled back: the transaction undid every statement, so the next start may retry.
    await connection.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, logs, rolled_back_at, started_at)
       VALUES ($1, $2, $3, $4, now(), now())`,
      [id, file.checksum, file.name, reason],
    );
    throw new MigrationError("MIGRATION_FAILED", `Migration ${file.name} failed and was rolled back: ${reason}`);
  }
}

/** The newest finished migration, for /health, without applying anything. */
export async function migrationLevel(connection: SqlConnection): Promise<string | null> {
  const rows = await connection.query<{ migration_name: string }>(
    `SELECT migration_name FROM "_prisma_migrations"
     WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL
     ORDER BY migration_name DESC LIMIT 1`,
  ).catch(() => []);
  return rows[0]?.migration_name ?? null;
}
