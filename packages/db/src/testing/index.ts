import { createHash, randomBytes } from "node:crypto";
import { readFile, rename, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { type Database, type DatabaseKind, openDatabase } from "../database.ts";
import { migrateDatabase } from "../migrate.ts";
import { readMigrationFiles } from "../migrations/migration-files.ts";
import { applyMigrations } from "../migrations/migration-runner.ts";
import { createPostgresTestDatabase } from "./postgres-test-database.ts";

export { createPostgresTestDatabase, postgresAdminUrl, type PostgresTestDatabase } from "./postgres-test-database.ts";

export const databaseKinds: readonly DatabaseKind[] = ["pglite", "postgresql"];

export interface TestDatabase extends Database {
  /** For PostgreSQL, the URL of this test's own database; null for PGlite. */
  url: string | null;
}

/**
 * A migrated database of the given kind that belongs to one test file: an in-memory PGlite,
 * or a fresh PostgreSQL database that `close()` drops again.
 */
export async function openTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  if (kind === "pglite") {
    const database = await openDatabase({ kind: "pglite", dataDir: "memory://", loadDataDir: await migratedPGlite() });
    // Nothing to apply (the dump is migrated): this checks that it is.
    await migrateDatabase(database);
    return { ...database, url: null };
  }
  const created = await createPostgresTestDatabase();
  const database = await openDatabase({ kind: "postgresql", url: created.url, poolSize: 4 });
  await migrateDatabase(database);
  return {
    ...database,
    url: created.url,
    async close() {
      await database.close();
      await created.drop();
    },
  };
}

/**
 * A migrated, empty embedded database, dumped once per set of migrations (named by their
 * checksums) into the temporary directory and shared by every test: a new PGlite cluster runs
 * initdb, about two seconds, and one loaded from a dump starts in a quarter of that.
 */
async function migratedPGlite(): Promise<Blob> {
  const migrations = await readMigrationFiles();
  const version = createHash("sha256")
    .update(migrations.map((migration) => `${migration.name}:${migration.checksum}`).join("\n"))
    .digest("hex")
    .slice(0, 16);
  const file = path.join(os.tmpdir(), `spar-test-pglite-${version}.tar`);
  try {
    return new Blob([await readFile(file)]);
  } catch {
    const client = await PGlite.create();
    await applyMigrations(
      {
        exec: async (sql) => void (await client.exec(sql)),
        query: async <Row>(sql: string, params: unknown[] = []) => (await client.query<Row>(sql, params)).rows,
      },
      migrations,
    );
    const dump = await client.dumpDataDir("none");
    await client.close();
    // Written aside, then renamed: a test in the other worker never reads half a dump.
    const partial = `${file}.${randomBytes(4).toString("hex")}`;
    await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
    await rename(partial, file);
    return dump;
  }
}
