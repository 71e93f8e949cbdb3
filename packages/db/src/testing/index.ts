import { type Database, type DatabaseKind, openDatabase } from "../database.ts";
import { migrateDatabase } from "../migrate.ts";
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
    const database = await openDatabase({ kind: "pglite", dataDir: "memory://" });
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
