import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..");

export const schemaPath = path.join(repositoryRoot, "prisma", "schema.prisma");
export const migrationsDir = path.join(repositoryRoot, "prisma", "migrations");

export interface MigrationFile {
  /** The directory name, e.g. `20261123120000_init`: Prisma's `migration_name`. */
  name: string;
  sql: string;
  /** Lowercase hex SHA-256 of the raw bytes of `migration.sql`, as Prisma records it. */
  checksum: string;
}

/** The migrations in Prisma's layout (`<timestamp>_<name>/migration.sql`), oldest first. */
export async function readMigrationFiles(dir = migrationsDir): Promise<MigrationFile[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const bytes = await readFile(path.join(dir, name, "migration.sql"));
      return {
        name,
        sql: bytes.toString("utf8"),
        checksum: createHash("sha256").update(bytes).digest("hex"),
      };
    }),
  );
}
