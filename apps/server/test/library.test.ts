import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PrismaLibraryPublications, PrismaLibraryVersions } from "@spar/db";
import { openTestDatabase, type TestDatabase } from "@spar/db/testing";
import { systemClock, writeOneFile } from "@spar/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repositoryRoot } from "../src/env.ts";
import { localEventBus } from "../src/events/event-bus.ts";
import { followPublications } from "../src/library/library-announcements.ts";
import { LibraryHolder } from "../src/library/library-holder.ts";
import { LibraryPublisher } from "../src/library/library-publisher.ts";
import { watchLibraryFolder } from "../src/library/library-watcher.ts";
import { startTestApp } from "../src/testing.ts";

const validFixtures = path.join(repositoryRoot, "packages/domain/test/fixtures/library/valid");

/** A log that keeps its warnings, for the tests that read them. */
function collectingLog() {
  const warnings: string[] = [];
  return { warnings, info: () => {}, warn: (_details: object, message?: string) => void warnings.push(message ?? ""), error: () => {} };
}

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
  let publications: PrismaLibraryPublications;
  let holder: LibraryHolder;
  const scenarioFile = () => path.join(dir, "short-talk.scenario.yaml");
  const newHolder = (log = collectingLog()) =>
    new LibraryHolder({ dir, baseDir: dir, publications, versions: new PrismaLibraryVersions(database.prisma), clock: systemClock, log });
  const newPublisher = (bus = localEventBus()) => new LibraryPublisher({ publications, clock: systemClock, bus, log: collectingLog() });

  beforeAll(async () => {
    database = await openTestDatabase("pglite");
    publications = new PrismaLibraryPublications(database.prisma);
    dir = await mkdtemp(path.join(os.tmpdir(), "spar-library-"));
    await cp(validFixtures, dir, { recursive: true });
    holder = newHolder();
  });
  afterAll(async () => {
    await database?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("publishes the folder as the first library at start, and records each scenario and rubric version with its source", async () => {
    await holder.start();
    expect([...holder.library.scenarios.keys()]).toEqual(["short-talk"]);
    expect(holder.status().publication).toMatchObject({ seq: 1, origin: "files" });
    expect(holder.files.map((file) => file.path)).toContain("short-talk.scenario.yaml");
    const versions = await database.prisma.scenarioVersion.findMany();
    expect(versions).toHaveLength(1);
    expect(versions[0]?.source).toBe(await readFile(scenarioFile(), "utf8"));
    expect(versions[0]?.contentHash).toBe(holder.library.scenarios.get("short-talk")?.contentHash);
    expect(await database.prisma.rubricVersion.count()).toBe(1);
  });

  it("serves the publication, and says how to publish, when the folder differs from it", async () => {
    const good = await readFile(scenarioFile(), "utf8");
    await writeFile(scenarioFile(), good.replace("title: A short talk", "title: A short talk, unpublished"));
    try {
      const log = collectingLog();
      const later = newHolder(log);
      await later.start();
      expect(later.library.scenarios.get("short-talk")?.value.title).toBe("A short talk");
      expect(later.seq).toBe(1);
      expect(log.warnings.join("\n")).toMatch(/differs from the published library \(publication 1: 0 added, 1 changed, 0 removed.*spar scenarios publish/);
    } finally {
      await writeFile(scenarioFile(), good);
    }
  });

  it("keeps the last good library when a publication has errors, and reports where", async () => {
    const latest = await publications.latest();
    const good = holder.files.find((file) => file.path === "short-talk.scenario.yaml")?.text ?? "";
    const broken = latest && { ...latest, seq: latest.seq + 1, files: latest.files.map((file) => (file.text === good ? { ...file, text: good.replace("estimated_minutes: 5", "estimated_minutes: five") } : file)) };
    expect(broken && (await publications.insert(broken))).toBe(true);
    expect(await holder.refresh()).toBe(false);
    expect(holder.library.scenarios.get("short-talk")?.value.estimated_minutes).toBe(5);
    expect(holder.status().issues).toEqual([expect.objectContaining({ file: "short-talk.scenario.yaml", line: 8, path: "estimated_minutes", severity: "error" })]);
    // Not tried again until something newer is published.
    expect(await holder.refresh()).toBe(false);
    expect(await newPublisher().publish(writeOneFile({ path: "short-talk.scenario.yaml", text: good }), { origin: "cli", publishedById: null })).toMatchObject({ kind: "published" });
    expect(await holder.refresh()).toBe(true);
    expect(holder.status().issues).toEqual([]);
  });

  it("refuses a published edit with errors, and keeps both versions of a changed scenario", async () => {
    const publisher = newPublisher();
    const before = holder.files.find((file) => file.path === "short-talk.scenario.yaml")?.text ?? "";
    const refused = await publisher.publish(writeOneFile({ path: "short-talk.scenario.yaml", text: before.replace("estimated_minutes: 5", "estimated_minutes: five") }), { origin: "browser", publishedById: null });
    expect(refused).toMatchObject({ kind: "refused", issues: [expect.objectContaining({ file: "short-talk.scenario.yaml", path: "estimated_minutes" })] });
    const edited = before.replace("title: A short talk", "title: A short talk, revised").replace("version: 1", "version: 2");
    expect(await publisher.publish(writeOneFile({ path: "short-talk.scenario.yaml", text: edited }), { origin: "browser", publishedById: null })).toMatchObject({ kind: "published" });
    expect(await holder.refresh()).toBe(true);
    const versions = await database.prisma.scenarioVersion.findMany({ orderBy: { version: "asc" } });
    expect(versions.map((version) => [version.version, version.title])).toEqual([
      [1, "A short talk"],
      [2, "A short talk, revised"],
    ]);
    expect(versions[0]?.source).toBe(before);
  });

  it("moves to a publication announced on the bus, and to one it never heard of within its check", async () => {
    const bus = localEventBus();
    const listening = newHolder();
    await listening.start();
    const following = await followPublications(bus, listening, collectingLog());
    // Another bus stands for a process whose announcements never arrive; it checks every 100 ms.
    const deaf = newHolder();
    await deaf.start();
    const checking = await followPublications(localEventBus(), deaf, collectingLog(), 100);
    try {
      const text = (listening.files.find((file) => file.path === "short-talk.scenario.yaml")?.text ?? "").replace(/title: .*/, "title: Heard on the bus");
      const outcome = await newPublisher(bus).publish(writeOneFile({ path: "short-talk.scenario.yaml", text }), { origin: "cli", publishedById: null });
      if (outcome.kind !== "published") throw new Error("not published");
      await until(() => listening.seq === outcome.publication.seq);
      expect(listening.library.scenarios.get("short-talk")?.value.title).toBe("Heard on the bus");
      await until(() => deaf.seq === outcome.publication.seq);
      expect(deaf.library.scenarios.get("short-talk")?.value.title).toBe("Heard on the bus");
    } finally {
      await following.stop();
      await checking.stop();
    }
  });

  it("publishes a valid change of the folder while watching, and reports a broken one without publishing it", async () => {
    // The folder still holds the first publication's text; make it the latest again first.
    await newPublisher().publish(writeOneFile({ path: "short-talk.scenario.yaml", text: await readFile(scenarioFile(), "utf8") }), { origin: "cli", publishedById: null });
    await holder.refresh();
    const watcher = watchLibraryFolder({ dir, library: holder, publisher: newPublisher(), log: collectingLog() });
    try {
      const text = await readFile(scenarioFile(), "utf8");
      const seq = holder.seq;
      await writeFile(scenarioFile(), text.replace("estimated_minutes: 5", "estimated_minutes: five"));
      await until(() => holder.status().issues.length > 0);
      expect(holder.status().issues).toEqual([expect.objectContaining({ path: "estimated_minutes" })]);
      expect(await publications.latestSeq()).toBe(seq);
      await writeFile(scenarioFile(), text.replace("title: A short talk", "title: A short talk, watched"));
      await until(() => holder.library.scenarios.get("short-talk")?.value.title === "A short talk, watched");
      expect(holder.status()).toMatchObject({ issues: [], publication: { seq: seq + 1, origin: "files" } });
    } finally {
      watcher.close();
    }
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
    expect(status.json()).toMatchObject({ scenarios: 10, rubrics: 7, issues: [], publication: { seq: 1, origin: "files" } });
  });
});
