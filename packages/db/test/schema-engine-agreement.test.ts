import { PGlite } from "@electric-sql/pglite";
import { afterAll, describe, expect, it } from "vitest";
import { applyMigrations } from "../src/migrations/migration-runner.ts";
import { migrationsDir, readMigrationFiles, schemaPath } from "../src/migrations/migration-files.ts";
import { diffMigrationsToSchema, migrationList } from "../src/migrations/schema-diff.ts";
import { openSchemaEngine } from "../src/migrations/schema-engine.ts";

// Prisma's own engine (as WebAssembly) is the referee: the committed migrations must describe
// schema.prisma exactly, and a database migrated by Spar's runner must look clean to Prisma.
// Replaying every migration in WebAssembly takes 15-20 s alone and twice that on a busy machine.
describe("Prisma's schema engine agrees with the migrations", { timeout: 120_000 }, () => {
  const pglite = new PGlite();
  afterAll(() => pglite.close());

  it("finds no difference between prisma/migrations and schema.prisma", async () => {
    expect(await diffMigrationsToSchema(schemaPath, migrationsDir)).toBe("");
  });

  it("reports a clean history for a database migrated by Spar's runner", async () => {
    await applyMigrations(
      {
        exec: async (sql) => {
          await pglite.exec(sql);
        },
        query: async (sql, params) => (await pglite.query(sql, params)).rows as never,
      },
      await readMigrationFiles(),
    );
    const session = await openSchemaEngine(schemaPath, pglite);
    try {
      const diagnosis = await session.engine.diagnoseMigrationHistory({
        migrationsList: await migrationList(migrationsDir),
        optInToShadowDatabase: false,
        filters: { externalTables: [], externalEnums: [] },
      });
      expect(diagnosis.hasMigrationsTable).toBe(true);
      expect(diagnosis.history).toBeNull();
      expect(diagnosis.failedMigrationNames).toEqual([]);
      expect(diagnosis.editedMigrationNames).toEqual([]);
    } finally {
      await session.close();
    }
  });
});
