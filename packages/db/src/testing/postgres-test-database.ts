import { randomBytes } from "node:crypto";
import pg from "pg";

/** The server tests create their databases on; override with TEST_POSTGRES_URL. */
export const postgresAdminUrl = process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export interface PostgresTestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: postgresAdminUrl, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `PostgreSQL is not reachable at ${postgresAdminUrl} (${(error as Error).message}). ` +
        "These tests need it: start it (see shared/services.md) or point TEST_POSTGRES_URL at a server.",
    );
  }
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A new, empty database with a unique name, so runs never see each other's data. */
export async function createPostgresTestDatabase(): Promise<PostgresTestDatabase> {
  const name = `spar_test_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = new URL(postgresAdminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}
