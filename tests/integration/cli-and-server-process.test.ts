// The commands the README gives, run as processes: migrations with and without DATABASE_URL,
// the first admin from the command line, and the server starting and stopping cleanly.
import { existsSync } from "node:fs";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createPostgresTestDatabase, type PostgresTestDatabase } from "@spar/db/testing";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { finished, freePort, newestMigration, repositoryRoot, runCli, spawnServerScript, waitForHttp } from "../fixtures/processes.ts";

// Every test here starts real CLI or server processes (tsx, the database, the language model), each
// several seconds on a busy two-core machine: the default 30 s per test is too tight.
describe("the spar command and the server process", { timeout: 120_000 }, () => {
  let scratch: string;
  let postgres: PostgresTestDatabase;

  beforeAll(async () => {
    scratch = await mkdtemp(path.join(os.tmpdir(), "spar-process-"));
    postgres = await createPostgresTestDatabase();
  });
  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
    await postgres?.drop();
  });

  it("migrates the embedded database in SPAR_DATA_DIR, creating the directory", async () => {
    const dataDir = path.join(scratch, "nested", "data");
    const first = await runCli(["db", "migrate"], { SPAR_DATA_DIR: dataDir });
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`embedded PGlite in ${dataDir}`);
    expect(first.stdout).toMatch(/Applied: \d{14}_init/);
    const second = await runCli(["db", "migrate"], { SPAR_DATA_DIR: dataDir });
    expect(second.stdout).toContain("Already up to date.");
  });

  it("migrates PostgreSQL when DATABASE_URL is set", async () => {
    const result = await runCli(["db", "migrate"], { DATABASE_URL: postgres.url });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("PostgreSQL at");
    expect(result.stdout).toContain(`Migration level: ${newestMigration}`);
  });

  it("creates the first admin from the command line, once", async () => {
    const environment = { SPAR_DATA_DIR: path.join(scratch, "admin") };
    const created = await runCli(["admin", "create", "--name", "Ola", "--email", "ola@example.com"], environment, "correct horse battery\n");
    expect(created.stdout).toContain("Created L&D admin ola@example.com");
    const again = await runCli(["admin", "create", "--name", "Ola", "--email", "two@example.com"], environment, "correct horse battery\n");
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("An account already exists");
  });

  it("refuses a short or common password for the first admin", async () => {
    const short = await runCli(["admin", "create", "--name", "X", "--email", "x@example.com"], { SPAR_DATA_DIR: path.join(scratch, "short") }, "short\n");
    expect(short.code).toBe(2);
    expect(short.stderr).toContain("password: Use at least 10 characters.");
    const common = await runCli(["admin", "create", "--name", "X", "--email", "x@example.com"], { SPAR_DATA_DIR: path.join(scratch, "common") }, "iloveyou123\n");
    expect(common.code).toBe(2);
    expect(common.stderr).toContain("password: That password is on a list of common passwords");
  });

  it("checks the shipped scenario library clean, and fails on broken files with their lines", async () => {
    const clean = await runCli(["scenarios", "check", "scenarios/"], { INIT_CWD: repositoryRoot });
    expect(clean.code).toBe(0);
    expect(clean.stdout).toMatch(/10 scenarios, 7 rubrics, \d+ example transcripts loaded; 0 error\(s\), 0 warning\(s\)/);

    const fixtures = "packages/domain/test/fixtures/library";
    const broken = await runCli(
      ["scenarios", "check", `${fixtures}/valid`, `${fixtures}/broken/wrong-type.scenario.yaml`, `${fixtures}/broken/alias-bomb.rubric.yaml`],
      { INIT_CWD: repositoryRoot },
    );
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain(`${fixtures}/broken/wrong-type.scenario.yaml:9:20  estimated_minutes  expected number, got string "ten"`);
    expect(broken.stdout).toContain(`${fixtures}/broken/alias-bomb.rubric.yaml:8:28  (file)  more than 50 aliases`);
    expect(broken.stdout).toContain("2 error(s)");

    const list = await runCli(["scenarios", "list"], {});
    expect(list.stdout).toMatch(/^missed-deadline\s+difficult-conversation\s+intermediate\s+difficult-conversations\s+v1\s+11/m);
  });

  it("calibrates the shipped library with the offline scorer, stores the results, and fails a bent example set", async () => {
    const result = await runCli(["scenarios", "calibrate"], { DATABASE_URL: postgres.url, INIT_CWD: repositoryRoot });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Scorer: offline");
    expect(result.stdout).toContain("10 scenarios calibrated: 10 passed, 0 failed.");
    expect(result.stdout).toMatch(/PASS {2}missed-deadline {2}exact \d+%, within one \d+%, strong beats weak: yes/);
    const client = new pg.Client({ connectionString: postgres.url });
    await client.connect();
    const { rows } = await client.query(`SELECT count(DISTINCT "scenarioId")::int AS scenarios FROM "CalibrationRun" WHERE passed`);
    await client.end();
    expect(rows[0].scenarios).toBe(10);

    const dir = path.join(scratch, "bent-library");
    await cp(path.join(repositoryRoot, "packages/domain/test/fixtures/library/valid"), dir, { recursive: true });
    const strong = path.join(dir, "strong.example.yaml");
    await writeFile(strong, (await readFile(strong, "utf8")).replace("acknowledges: [3, 4]", "acknowledges: [4, 4]"));
    const bent = await runCli(["scenarios", "calibrate", dir, "--no-store"], { INIT_CWD: repositoryRoot });
    expect(bent.code).toBe(1);
    expect(bent.stdout).toContain("FAIL  short-talk");
    expect(bent.stdout).toMatch(/strong\.example\.yaml: acknowledges expected 4-4, scored \d/);
  });

  it("explains bad configuration without a stack trace", async () => {
    const result = await runCli(["db", "migrate"], { PORT: "eighty", SPAR_DATA_DIR: path.join(scratch, "bad") });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('PORT: ');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("serves /health and the web app, refuses a second process on the same data directory, and shuts down on SIGTERM", async () => {
    const dataDir = path.join(scratch, "server");
    const port = await freePort();
    const server = spawnServerScript("server.ts", [], { SPAR_DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: "warn" });
    const exit = finished(server);
    try {
      const health = await waitForHttp(`http://127.0.0.1:${port}/health`);
      expect(await health.json()).toMatchObject({ status: "ok", database: { kind: "pglite" }, llm: { engine: "offline" } });
      const page = await fetch(`http://127.0.0.1:${port}/`);
      expect(page.headers.get("content-type")).toContain("text/html");

      const second = await finished(spawnServerScript("server.ts", [], { SPAR_DATA_DIR: dataDir, PORT: String(await freePort()) }));
      expect(second.code).toBe(1);
      expect(second.stderr).toContain("is in use by process");
    } finally {
      server.kill("SIGTERM");
    }
    const result = await exit;
    expect(result.code).toBe(0);
    expect(existsSync(path.join(dataDir, "spar.pid"))).toBe(false);
  });
});
