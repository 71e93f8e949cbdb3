// How long a big CSV import takes: an HR export of BENCH_PEOPLE rows (default 20,000: managers,
// each with a team of learners who name them in manager_email) uploaded to the real app (in process,
// through inject) on a fresh database, then the same file again, which must change nothing, then
// a file in which every learner is renamed and moves to the next team (the update path).
// Prints both times against the target of a minute for 20,000 rows on PGlite. Not a test.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { type DatabaseKind, migrateDatabase, openDatabase } from "@spar/db";
import { createPostgresTestDatabase } from "@spar/db/testing";
import { buildApp } from "@spar/server";
import { loadConfig } from "@spar/server/env";

const teamSize = 10;

export interface ImportFigures {
  kind: DatabaseKind;
  people: number;
  bytes: number;
  firstSeconds: number;
  secondSeconds: number;
  changedSeconds: number;
  first: { created: number; changed: number; unchanged: number; teamsCreated: number };
  second: { created: number; changed: number; unchanged: number; teamsCreated: number };
  changed: { created: number; changed: number; unchanged: number; teamsCreated: number };
}

/** A file like an HR export: one manager per team of ten, everyone with a team, learners with their manager. */
export function peopleCsv(people: number, reorganised = false): string {
  const lines = ["email,name,role,team,manager_email"];
  const teams = Math.ceil(people / teamSize);
  for (let index = 0; index < people; index++) {
    const team = Math.floor(index / teamSize) + 1;
    const manager = `manager.${team}@bench.example`;
    if (index % teamSize === 0) lines.push(`${manager},"Manager ${team}, Team Lead",manager,Team ${team},`);
    else if (!reorganised) lines.push(`person.${index}@bench.example,Person ${index},learner,Team ${team},${manager}`);
    else {
      const next = (team % teams) + 1;
      lines.push(`person.${index}@bench.example,Person ${index} Renamed,learner,Team ${next},manager.${next}@bench.example`);
    }
  }
  return `${lines.join("\r\n")}\r\n`;
}

export async function peopleImportRun(kind: DatabaseKind, people: number): Promise<ImportFigures> {
  const scratch = kind === "pglite" ? await mkdtemp(path.join(os.tmpdir(), "spar-import-bench-")) : null;
  const postgres = kind === "postgresql" ? await createPostgresTestDatabase() : null;
  // A data directory on disk, as the embedded default runs, not an in-memory one.
  const database = await openDatabase(scratch ? { kind: "pglite", dataDir: scratch } : { kind: "postgresql", url: postgres?.url ?? "" });
  try {
    await migrateDatabase(database);
    const config = loadConfig({ SPAR_ENV: "test", LOG_LEVEL: "silent", SPAR_SCORING_WORKER: "off", SPAR_DEMO: "off" });
    const { app } = await buildApp({ config, database, logger: false });
    const setup = await app.inject({
      method: "POST",
      url: "/api/setup/admin",
      payload: { name: "Bench Admin", email: "admin@bench.example", password: "a long bench passphrase" },
    });
    if (setup.statusCode !== 201) throw new Error(`could not create the admin: ${setup.body}`);
    const cookie = String(setup.headers["set-cookie"]).split(";")[0] as string;
    const csv = peopleCsv(people);
    const upload = async (body = csv) => {
      const started = performance.now();
      const response = await app.inject({ method: "POST", url: "/api/people/import", headers: { cookie, "content-type": "text/csv" }, payload: body });
      const seconds = (performance.now() - started) / 1000;
      if (response.statusCode !== 200) throw new Error(`import answered ${response.statusCode}: ${response.body.slice(0, 500)}`);
      const report = response.json() as { created: string[]; changed: string[]; unchanged: number; teamsCreated: string[] };
      return { seconds, counts: { created: report.created.length, changed: report.changed.length, unchanged: report.unchanged, teamsCreated: report.teamsCreated.length } };
    };
    const first = await upload();
    const second = await upload();
    const changed = await upload(peopleCsv(people, true));
    await app.close();
    return {
      kind,
      people,
      bytes: Buffer.byteLength(csv),
      firstSeconds: first.seconds,
      secondSeconds: second.seconds,
      changedSeconds: changed.seconds,
      first: first.counts,
      second: second.counts,
      changed: changed.counts,
    };
  } finally {
    await database.close();
    await postgres?.drop();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  }
}

export function describeImport(figures: ImportFigures): string {
  const counts = (each: ImportFigures["first"]) => `${each.created} created, ${each.changed} changed, ${each.unchanged} unchanged, ${each.teamsCreated} teams created`;
  return [
    `${figures.people.toLocaleString("en")} rows (${(figures.bytes / 1024 / 1024).toFixed(1)} MB) on ${figures.kind}:`,
    `  first import  ${figures.firstSeconds.toFixed(1)} s  (${counts(figures.first)})`,
    `  same file again  ${figures.secondSeconds.toFixed(1)} s  (${counts(figures.second)})`,
    `  every learner renamed and moved  ${figures.changedSeconds.toFixed(1)} s  (${counts(figures.changed)})`,
  ].join("\n");
}

async function main() {
  const people = Number(process.env.BENCH_PEOPLE ?? 20_000);
  const kinds = (process.env.BENCH_DATABASES ?? "pglite,postgresql").split(",") as DatabaseKind[];
  for (const kind of kinds) console.log(describeImport(await peopleImportRun(kind, people)));
}

// Run directly (npx tsx bench/people-import/people-import.ts) rather than imported by the whole benchmark.
if (import.meta.url === `file://${process.argv[1]}`) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
