import { readFile } from "node:fs/promises";
import path from "node:path";
import type { MigrationList } from "@prisma/schema-engine-wasm";
import { readMigrationFiles } from "./migration-files.ts";
import { openSchemaEngine } from "./schema-engine.ts";

export async function migrationList(dir: string): Promise<MigrationList> {
  const files = await readMigrationFiles(dir);
  const lockPath = path.join(dir, "migration_lock.toml");
  return {
    baseDir: dir,
    lockfile: { path: lockPath, content: await readFile(lockPath, "utf8").catch(() => null) },
    shadowDbInitScript: "",
    migrationDirectories: files.map((file) => ({
      path: file.name,
      migrationFile: { path: "migration.sql", content: { tag: "ok", value: file.sql } },
    })),
  };
}

/**
 * The SQL that takes a database from "every migration in `dir` applied" to what
 * `schema.prisma` describes. Empty when the migrations are up to date with the schema.
 */
export async function diffMigrationsToSchema(schemaFile: string, dir: string): Promise<string> {
  const session = await openSchemaEngine(schemaFile);
  try {
    const schema = await readFile(schemaFile, "utf8");
    const result = await session.engine.diff({
      from: { tag: "migrations", ...(await migrationList(dir)) },
      to: { tag: "schemaDatamodel", files: [{ path: schemaFile, content: schema }] },
      script: true,
      exitCode: null,
      filters: { externalTables: [], externalEnums: [] },
    });
    const script = result.stdout ?? "";
    return isEmptyScript(script) ? "" : script;
  } finally {
    await session.close();
  }
}

function isEmptyScript(script: string): boolean {
  return script.trim() === "" || script.trim() === "-- This is an empty migration.";
}
