// How fast the manager's views answer on a big organisation: PostgreSQL seeded with
// BENCH_LEARNERS learners (default 1,000) × BENCH_SESSIONS scored sessions each (default 200),
// then the team overview and the one-to-one brief requested over and over through the real app.
// Prints p50/p95/p99 server time per view against the 50 ms p95 target. Not a test: it never fails.
import { performance } from "node:perf_hooks";
import { hash } from "@node-rs/argon2";
import { migrateDatabase, openDatabase, PrismaLibraryVersions } from "@spar/db";
import { createPostgresTestDatabase } from "@spar/db/testing";
import { loadLibrary } from "@spar/domain";
import { buildApp } from "@spar/server";
import { loadConfig, repositoryRoot } from "@spar/server/env";
import { readLibraryFiles } from "@spar/server/library-files";
import { percentile } from "./load/stats.ts";

const teamSize = 10;

export interface ReviewFigures {
  seedSeconds: number;
  overview: { p50: number; p95: number; p99: number };
  brief: { p50: number; p95: number; p99: number };
}

export async function reviewViews(learners: number, sessionsEach: number, requests: number): Promise<ReviewFigures> {
  const started = performance.now();
  const postgres = await createPostgresTestDatabase();
  const database = await openDatabase({ kind: "postgresql", url: postgres.url, poolSize: 8 });
  try {
    await migrateDatabase(database);
    const { library } = await loadLibrary(await readLibraryFiles(["scenarios"], repositoryRoot));
    await new PrismaLibraryVersions(database.prisma).record(library);
    const passwordHash = await hash("bench-password-123");
    const teams = Math.ceil(learners / teamSize);
    const sql = database.prisma.$executeRawUnsafe.bind(database.prisma);
    await sql(
      `INSERT INTO "Team"(id, name) SELECT gen_random_uuid(), 'Team ' || t FROM generate_series(1, ${teams}) t`,
    );
    await sql(`INSERT INTO "User"(id, email, name, "passwordHash", role)
      SELECT gen_random_uuid(), 'manager' || t || '@bench.example', 'Manager ' || t, '${passwordHash}', 'manager' FROM generate_series(1, ${teams}) t`);
    await sql(`INSERT INTO "User"(id, email, name, "passwordHash", role)
      SELECT gen_random_uuid(), 'learner' || l || '@bench.example', 'Learner ' || l, 'x', 'learner' FROM generate_series(1, ${learners}) l`);
    await sql(`INSERT INTO "TeamMember"("teamId", "userId", role)
      SELECT t.id, u.id, 'manager' FROM "Team" t JOIN "User" u ON u.email = 'manager' || substring(t.name from 6) || '@bench.example'`);
    await sql(`INSERT INTO "TeamMember"("teamId", "userId", role)
      SELECT t.id, u.id, 'member' FROM "User" u JOIN "Team" t
        ON t.name = 'Team ' || ((substring(u.email from 8 for position('@' in u.email) - 8))::int - 1) / ${teamSize} + 1
      WHERE u.role = 'learner'`);
    // Every learner practises the same scenario on its rubric, once a day, for BENCH_SESSIONS days.
    await sql(`INSERT INTO "PracticeSession"(id, "learnerId", "scenarioVersionId", "rubricVersionId", engine, status, "startedAt", "endedAt", "scoringStatus")
      SELECT gen_random_uuid(), u.id, s.id, r.id, 'offline', 'ended', now() - (d || ' days')::interval, now() - (d || ' days')::interval + interval '10 minutes', 'done'
      FROM "User" u CROSS JOIN generate_series(1, ${sessionsEach}) d
      JOIN "ScenarioVersion" s ON s."scenarioId" = 'price-objection'
      JOIN "RubricVersion" r ON r."rubricId" = 'objection-handling'
      WHERE u.role = 'learner'`);
    await sql(`INSERT INTO "Scorecard"(id, "sessionId", "rubricVersionId", scorer, overall, passed, "nextStep", metrics, "createdAt")
      SELECT gen_random_uuid(), p.id, p."rubricVersionId", 'offline', round((1 + random() * 3)::numeric, 2), random() > 0.5, 'Explore before answering.', '{}'::jsonb, p."endedAt"
      FROM "PracticeSession" p`);
    await sql(`INSERT INTO "CriterionScore"(id, "scorecardId", "criterionId", competency, level, rationale, evidence)
      SELECT gen_random_uuid(), c.id, k, 'objection-handling', 1 + floor(random() * 4)::int, 'Seeded.', '[{"turn": 2, "quote": "seeded"}]'::jsonb
      FROM "Scorecard" c CROSS JOIN unnest(ARRAY['acknowledges-concern', 'explores-before-answering', 'reframes-value', 'confirms-next-step']) k`);
    // What the scoring store writes beside each scorecard (see PracticeSession.latestScore).
    await sql(`UPDATE "PracticeSession" p SET "latestScore" = jsonb_build_object('overall', s.overall, 'passed', s.passed, 'scorer', s.scorer::text,
        'criteria', (SELECT jsonb_agg(jsonb_build_object('competency', c.competency, 'level', c.level)) FROM "CriterionScore" c WHERE c."scorecardId" = s.id))
      FROM "Scorecard" s WHERE s."sessionId" = p.id`);
    await sql(`ANALYZE`);
    const seeded = performance.now();

    const config = loadConfig({
      SPAR_ENV: "test",
      LOG_LEVEL: "silent",
      SPAR_SCORING_WORKER: "off",
      DATABASE_URL: postgres.url,
    });
    const { app } = await buildApp({ config, database, logger: false });
    // Ten managers are enough to spread the requests (sign-in is rate limited per address).
    const teamRows = (
      await database.prisma.team.findMany({ include: { members: true }, orderBy: { name: "asc" } })
    ).slice(0, 10);
    const times = { overview: [] as number[], brief: [] as number[] };
    const cookies = new Map<string, string>();
    for (let index = 0; index < requests; index++) {
      const team = teamRows[index % teamRows.length];
      const manager = team?.members.find((member) => member.role === "manager");
      const learner = team?.members.filter((member) => member.role === "member")[index % teamSize];
      if (!team || !manager || !learner) continue;
      const email = (await database.prisma.user.findUniqueOrThrow({ where: { id: manager.userId } })).email;
      let cookie = cookies.get(email);
      if (!cookie) {
        const signIn = await app.inject({
          method: "POST",
          url: "/api/auth/sign-in",
          payload: { email, password: "bench-password-123" },
        });
        cookie = String(signIn.headers["set-cookie"]).split(";")[0] as string;
        cookies.set(email, cookie);
      }
      for (const [view, url] of [
        ["overview", `/api/teams/${team.id}/overview`],
        ["brief", `/api/people/${learner.userId}/brief`],
      ] as const) {
        const before = performance.now();
        const response = await app.inject({ method: "GET", url, headers: { cookie } });
        const elapsed = performance.now() - before;
        if (response.statusCode !== 200)
          throw new Error(`${url} answered ${response.statusCode}: ${response.body.slice(0, 200)}`);
        times[view].push(elapsed);
      }
    }
    await app.close();
    const summary = (samples: number[]) => ({ p50: percentile(samples, 50), p95: percentile(samples, 95), p99: percentile(samples, 99) });
    return { seedSeconds: (seeded - started) / 1000, overview: summary(times.overview), brief: summary(times.brief) };
  } finally {
    await database.close();
    await postgres.drop();
  }
}

async function main() {
  const learners = Number(process.env.BENCH_LEARNERS ?? 1_000);
  const sessionsEach = Number(process.env.BENCH_SESSIONS ?? 200);
  const figures = await reviewViews(learners, sessionsEach, Number(process.env.BENCH_REQUESTS ?? 200));
  console.log(`\nSeeded ${learners} learners × ${sessionsEach} sessions (${learners * sessionsEach * 4} criterion scores) in ${figures.seedSeconds.toFixed(1)} s\n`);
  console.log("| view | p50 ms | p95 ms | p99 ms | target p95 |");
  console.log("| --- | --- | --- | --- | --- |");
  for (const view of ["overview", "brief"] as const) {
    const { p50, p95, p99 } = figures[view];
    console.log(`| ${view} | ${p50.toFixed(1)} | ${p95.toFixed(1)} | ${p99.toFixed(1)} | 50 |`);
  }
}

// Run directly (pnpm bench:review) rather than imported by the whole benchmark.
if (import.meta.url === `file://${process.argv[1]}`) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
