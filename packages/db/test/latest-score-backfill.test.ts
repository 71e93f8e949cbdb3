import { cp, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../src/database.ts";
import { migrateDatabase } from "../src/index.ts";
import { migrationsDir } from "../src/migrations/migration-files.ts";
import type { Database } from "../src/database.ts";

const backfill = "20261123065222_session_latest_score";

// Sessions scored before PracticeSession.latestScore existed get it from their newest scorecard.
describe("the latestScore migration", () => {
  let database: Database;
  let before: string;

  beforeAll(async () => {
    database = await openDatabase({ kind: "pglite", dataDir: "memory://" });
    before = await mkdtemp(path.join(os.tmpdir(), "spar-migrations-"));
    // The migrations as they were before this one.
    await cp(migrationsDir, before, {
      recursive: true,
      filter: (source) => {
        const entry = path.relative(migrationsDir, source).split(path.sep)[0] ?? "";
        return !/^\d{14}_/.test(entry) || entry < backfill;
      },
    });
    await migrateDatabase(database, before);
  });
  afterAll(async () => {
    await database?.close();
    await rm(before, { recursive: true, force: true });
  });

  it("fills it from each session's newest scorecard and leaves unscored sessions empty", async () => {
    await database.withConnection(async (sql) => {
      await sql.query(
        `INSERT INTO "User"(id, email, name, "passwordHash", role) VALUES ('00000000-0000-7000-8000-000000000001', 'a@example.com', 'A', 'x', 'learner')`,
      );
      await sql.query(`INSERT INTO "ScenarioVersion"(id, "scenarioId", version, "contentHash", title, family, "rubricId", source, "sourcePath")
        VALUES ('00000000-0000-7000-8000-000000000002', 's', 1, 'sh', 'S', 'sales', 'r', '', 's.yaml')`);
      await sql.query(`INSERT INTO "RubricVersion"(id, "rubricId", version, "contentHash", title, competency, source, "sourcePath")
        VALUES ('00000000-0000-7000-8000-000000000003', 'r', 1, 'rh', 'R', 'discovery', '', 'r.yaml')`);
      for (const id of ["00000000-0000-7000-8000-000000000010", "00000000-0000-7000-8000-000000000011"]) {
        await sql.query(`INSERT INTO "PracticeSession"(id, "learnerId", "scenarioVersionId", "rubricVersionId", engine)
          VALUES ('${id}', '00000000-0000-7000-8000-000000000001', '00000000-0000-7000-8000-000000000002', '00000000-0000-7000-8000-000000000003', 'offline')`);
      }
      // A first scorecard, then a rescore: the rescore is the newest and must win.
      for (const [id, overall, level, at] of [
        ["00000000-0000-7000-8000-000000000020", 1.5, 1, "2026-01-01T00:00:00Z"],
        ["00000000-0000-7000-8000-000000000021", 3.25, 4, "2026-01-02T00:00:00Z"],
      ] as const) {
        await sql.query(`INSERT INTO "Scorecard"(id, "sessionId", "rubricVersionId", scorer, overall, passed, "nextStep", metrics, "createdAt")
          VALUES ('${id}', '00000000-0000-7000-8000-000000000010', '00000000-0000-7000-8000-000000000003', 'offline', ${overall}, ${overall > 3}, 'Next.', '{}', '${at}')`);
        await sql.query(`INSERT INTO "CriterionScore"(id, "scorecardId", "criterionId", competency, level, rationale, evidence)
          VALUES (gen_random_uuid(), '${id}', 'asks-open-questions', 'discovery', ${level}, 'Why.', '[]')`);
      }
    });

    await migrateDatabase(database);

    const sessions = await database.prisma.practiceSession.findMany({
      orderBy: { id: "asc" },
      select: { latestScore: true },
    });
    expect(sessions.map((session) => session.latestScore)).toEqual([
      { overall: 3.25, passed: true, scorer: "offline", criteria: [{ competency: "discovery", level: 4 }] },
      null,
    ]);
  });
});
