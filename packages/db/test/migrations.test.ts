import { createHash } from "node:crypto";
import { cp, mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateDatabase, MigrationError } from "../src/index.ts";
import { migrationsDir } from "../src/migrations/migration-files.ts";
import { databaseKinds, type TestDatabase } from "../src/testing/index.ts";
import { openDatabase } from "../src/database.ts";
import { createPostgresTestDatabase, type PostgresTestDatabase } from "../src/testing/postgres-test-database.ts";

interface BookkeepingRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  applied_steps_count: number;
  logs: string | null;
}

const shipped = (await readdir(migrationsDir, { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();

async function copyOfMigrations(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "spar-migrations-"));
  await cp(migrationsDir, dir, { recursive: true });
  return dir;
}

describe.each(databaseKinds)("migrations on %s", (kind) => {
  let database: TestDatabase;
  let postgres: PostgresTestDatabase | undefined;
  const scratch: string[] = [];

  beforeAll(async () => {
    // An empty database: openTestDatabase would migrate it, and here the runner is under test.
    if (kind === "pglite") {
      database = { ...(await openDatabase({ kind, dataDir: "memory://" })), url: null };
    } else {
      postgres = await createPostgresTestDatabase();
      database = { ...(await openDatabase({ kind, url: postgres.url, poolSize: 2 })), url: postgres.url };
    }
  });
  afterAll(async () => {
    await database?.close();
    await postgres?.drop();
    await Promise.all(scratch.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  const history = () =>
    database.withConnection((connection) =>
      connection.query<BookkeepingRow>(`SELECT * FROM "_prisma_migrations" ORDER BY started_at, migration_name`),
    );

  it("applies every shipped migration to an empty database and records it as Prisma does", async () => {
    const report = await migrateDatabase(database);
    expect(report.applied).toEqual(shipped);
    expect(report.level).toBe(shipped.at(-1));
    const rows = await history();
    expect(rows.map((row) => row.migration_name)).toEqual(shipped);
    for (const row of rows) {
      expect(row.finished_at).not.toBeNull();
      expect(row.applied_steps_count).toBe(1);
      expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(await database.prisma.user.count()).toBe(0);
  });

  it("applies nothing the second time", async () => {
    const report = await migrateDatabase(database);
    expect(report).toEqual({ applied: [], level: shipped.at(-1), modifiedAfterApply: [] });
  });

  it("rolls a failing migration back, records the failure, and retries it once it is fixed", async () => {
    const dir = await copyOfMigrations();
    scratch.push(dir);
    const name = "29991231000000_broken";
    await mkdir(path.join(dir, name));
    const broken = `CREATE TABLE "HalfDone" (id INT);\nSELECT * FROM "NoSuchTable";\n`;
    await writeFile(path.join(dir, name, "migration.sql"), broken);

    const failure = await migrateDatabase(database, dir).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(MigrationError);
    expect((failure as MigrationError).code).toBe("MIGRATION_FAILED");
    expect((failure as Error).message).toContain(name);
    expect((failure as Error).message).toContain("NoSuchTable");

    const tables = await database.withConnection((connection) =>
      connection.query<{ name: string | null }>(`SELECT to_regclass('"HalfDone"')::text AS name`),
    );
    expect(tables[0]?.name).toBeNull();
    const failed = (await history()).find((row) => row.migration_name === name);
    expect(failed?.finished_at).toBeNull();
    expect(failed?.rolled_back_at).not.toBeNull();
    expect(failed?.logs).toContain("NoSuchTable");

    const fixed = `CREATE TABLE "HalfDone" (id INT);\n`;
    await writeFile(path.join(dir, name, "migration.sql"), fixed);
    const report = await migrateDatabase(database, dir);
    expect(report.applied).toEqual([name]);
    const done = (await history()).filter((row) => row.migration_name === name && row.finished_at !== null);
    expect(done).toHaveLength(1);
    expect(done[0]?.checksum).toBe(createHash("sha256").update(fixed).digest("hex"));
  });

  it("warns about a migration edited after it was applied", async () => {
    const dir = await copyOfMigrations();
    scratch.push(dir);
    const first = shipped[0] as string;
    await writeFile(path.join(dir, first, "migration.sql"), "-- edited\n", { flag: "a" });
    await mkdir(path.join(dir, "29991231000000_broken"));
    await writeFile(path.join(dir, "29991231000000_broken", "migration.sql"), `CREATE TABLE "HalfDone" (id INT);\n`);
    const report = await migrateDatabase(database, dir);
    expect(report.modifiedAfterApply).toEqual([first]);
    expect(report.applied).toEqual([]);
  });
});
