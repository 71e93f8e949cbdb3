import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PrismaLibraryVersions } from "@spar/db";
import { openTestDatabase, type TestDatabase } from "@spar/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repositoryRoot } from "../src/env.ts";
import { LibraryHolder } from "../src/library/library-holder.ts";
import { startTestApp } from "../src/testing.ts";

const validFixtures = path.join(repositoryRoot, "packages/domain/test/fixtures/library/valid");
const quietLog = { info: () => {}, warn: () => {}, error: () => {} };

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 8_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("the library a server practises on", () => {
  let database: TestDatabase;
  let dir: string;
  let holder: LibraryHolder;
  const scenarioFile = () => path.join(dir, "short-talk.scenario.yaml");

  beforeAll(async () => {
    database = await openTestDatabase("pglite");
    dir = await mkdtemp(path.join(os.tmpdir(), "spar-library-"));
    await cp(validFixtures, dir, { recursive: true });
    holder = new LibraryHolder(dir, dir, new PrismaLibraryVersions(database.prisma), quietLog);
  });
  afterAll(async () => {
    holder?.close();
    await database?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("loads at start and records each scenario and rubric version with its source", async () => {
    expect(await holder.load()).toBe(true);
    expect([...holder.library.scenarios.keys()]).toEqual(["short-talk"]);
    const versions = await database.prisma.scenarioVersion.findMany();
    expect(versions).toHaveLength(1);
    expect(versions[0]?.source).toBe(await readFile(scenarioFile(), "utf8"));
    expect(versions[0]?.contentHash).toBe(holder.library.scenarios.get("short-talk")?.contentHash);
    expect(await database.prisma.rubricVersion.count()).toBe(1);
  });

  it("keeps the last good library when an edit breaks a file, and reports where", async () => {
    const good = await readFile(scenarioFile(), "utf8");
    await writeFile(scenarioFile(), good.replace("estimated_minutes: 5", "estimated_minutes: five"));
    expect(await holder.load()).toBe(false);
    expect(holder.library.scenarios.get("short-talk")?.value.estimated_minutes).toBe(5);
    expect(holder.status().issues).toEqual([
      expect.objectContaining({ file: "short-talk.scenario.yaml", line: 8, path: "estimated_minutes", severity: "error" }),
    ]);
    await writeFile(scenarioFile(), good);
    expect(await holder.load()).toBe(true);
    expect(holder.status().issues).toEqual([]);
  });

  it("keeps both versions of a changed scenario, so old sessions still show the text they ran on", async () => {
    const before = await readFile(scenarioFile(), "utf8");
    await writeFile(scenarioFile(), before.replace("title: A short talk", "title: A short talk, revised").replace("version: 1", "version: 2"));
    expect(await holder.load()).toBe(true);
    const versions = await database.prisma.scenarioVersion.findMany({ orderBy: { version: "asc" } });
    expect(versions.map((version) => [version.version, version.title])).toEqual([
      [1, "A short talk"],
      [2, "A short talk, revised"],
    ]);
    expect(versions[0]?.source).toBe(before);
  });

  it("reloads by itself when a file changes, while watching", async () => {
    holder.watch();
    const text = await readFile(scenarioFile(), "utf8");
    await writeFile(scenarioFile(), text.replace("A short talk, revised", "A short talk, watched"));
    await until(() => holder.library.scenarios.get("short-talk")?.value.title === "A short talk, watched");
  });
});

describe("the library over HTTP", () => {
  let server: Awaited<ReturnType<typeof startTestApp>>;
  let cookie: string;

  beforeAll(async () => {
    server = await startTestApp("pglite");
    const admin = await server.app.inject({
      method: "POST", url: "/api/setup/admin", payload: { name: "Lee", email: "lee@example.com", password: "long enough password" },
    });
    cookie = String(admin.headers["set-cookie"]).split(";")[0] as string;
  });
  afterAll(() => server?.close());

  it("lists the shipped scenarios without anything the persona hides", async () => {
    const response = await server.app.inject({ method: "GET", url: "/api/scenarios", headers: { cookie } });
    expect(response.statusCode).toBe(200);
    const { scenarios } = response.json();
    expect(scenarios.length).toBeGreaterThanOrEqual(8);
    const missedDeadline = server.library.library.scenarios.get("missed-deadline")?.value;
    expect(missedDeadline).toBeDefined();
    for (const secret of [
      ...(missedDeadline?.persona.hidden.map((fact) => fact.fact) ?? []),
      ...(missedDeadline?.rules.flatMap((rule) => [rule.then, ...rule.replies]) ?? []),
    ]) {
      expect(response.body).not.toContain(JSON.stringify(secret).slice(1, -1));
    }
  });

  it("shows one scenario's brief and rubric, but not its hidden facts or rules", async () => {
    const response = await server.app.inject({ method: "GET", url: "/api/scenarios/missed-deadline", headers: { cookie } });
    const { scenario } = response.json();
    expect(scenario.brief.objective).toContain("way forward");
    expect(scenario.rubric.criteria.map((criterion: { id: string }) => criterion.id)).toEqual([
      "names-the-issue", "stays-curious", "manages-emotion", "agrees-way-forward",
    ]);
    expect(response.body).not.toContain("Marlowe");
    expect(response.body).not.toContain("hidden");
    expect((await server.app.inject({ method: "GET", url: "/api/scenarios/nope", headers: { cookie } })).statusCode).toBe(404);
    expect((await server.app.inject({ method: "GET", url: "/api/scenarios" })).statusCode).toBe(401);
  });

  it("serves the JSON Schemas for editors, and the library status to L&D admins", async () => {
    const schema = await server.app.inject({ method: "GET", url: "/schemas/scenario.schema.json" });
    expect(schema.headers["content-type"]).toContain("application/schema+json");
    expect(schema.json().title).toBe("Spar scenario");
    const status = await server.app.inject({ method: "GET", url: "/api/library/status", headers: { cookie } });
    expect(status.json()).toMatchObject({ scenarios: 10, rubrics: 7, issues: [] });
  });
});
