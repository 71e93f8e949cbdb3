import { mkdir } from "node:fs/promises";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "./generated/prisma/client.ts";
import { claimDataDirectory } from "./data-directory-lock.ts";
import type { SqlConnection } from "./sql-connection.ts";

export type DatabaseKind = "pglite" | "postgresql";

export type DatabaseConfig =
  /**
   * `dataDir: "memory://"` keeps an embedded database in memory, for tests; `loadDataDir` starts
   * it from a dump of another (PGlite's `dumpDataDir`) instead of an empty cluster.
   */
  | { kind: "pglite"; dataDir: string; loadDataDir?: Blob }
  | { kind: "postgresql"; url: string; poolSize?: number };

export interface Database {
  kind: DatabaseKind;
  prisma: PrismaClient;
  /** Lends one connection for work that must not be interleaved (migrations). */
  withConnection<T>(work: (connection: SqlConnection) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  return config.kind === "pglite" ? openPGlite(config.dataDir, config.loadDataDir) : openPostgres(config.url, config.poolSize);
}

async function openPGlite(dataDir: string, loadDataDir?: Blob): Promise<Database> {
  const inMemory = dataDir.startsWith("memory://");
  let releaseLock = async () => {};
  if (!inMemory) {
    const absolute = path.resolve(dataDir);
    // PGlite does not create parent directories, and only one process may open a directory.
    await mkdir(absolute, { recursive: true });
    releaseLock = await claimDataDirectory(absolute);
  }
  let client: PGlite;
  try {
    client = inMemory ? await PGlite.create({ ...(loadDataDir ? { loadDataDir } : {}) }) : await PGlite.create(path.resolve(dataDir, "pglite"));
  } catch (error) {
    await releaseLock();
    throw error;
  }
  const connection: SqlConnection = {
    async exec(sql) {
      await client.exec(sql);
    },
    async query<Row>(sql: string, params: unknown[] = []) {
      const result = await client.query<Row>(sql, params);
      return result.rows;
    },
  };
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(client) });
  return {
    kind: "pglite",
    prisma,
    // PGlite is a single connection already; queue behind whatever Prisma is doing.
    withConnection: (work) => work(connection),
    async close() {
      await prisma.$disconnect();
      await client.close();
      await releaseLock();
    },
  };
}

async function openPostgres(url: string, poolSize = 10): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle client that loses its server (a restart) must not crash the process.
  pool.on("error", () => {});
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    kind: "postgresql",
    prisma,
    async withConnection(work) {
      const client = await pool.connect();
      try {
        return await work({
          async exec(sql) {
            await client.query(sql);
          },
          async query<Row>(sql: string, params: unknown[] = []) {
            const result = await client.query(sql, params);
            return result.rows as Row[];
          },
        });
      } finally {
        client.release();
      }
    },
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}
