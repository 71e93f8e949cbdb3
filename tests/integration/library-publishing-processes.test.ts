// The scenario library lives in the database: two server processes on one PostgreSQL and one
// Redis serve the same publication. An L&D admin publishes an edit on one, and the other serves it
// without a restart; a process started afterwards serves it too; `spar scenarios publish` reaches
// the running servers, and `spar scenarios export` writes the library back to files for git.
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createPostgresTestDatabase, type PostgresTestDatabase } from "@spar/db/testing";
import { LibraryFile, LibraryStatus, PublishLibraryFileResponse, ScenarioSummary } from "@spar/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { repositoryRoot, runCli, signInOverHttp, type ServerProcess, startServerProcess } from "../fixtures/processes.ts";

const redisUrl = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

/** Polls until `check` holds, well within the minute after which a missed announcement is caught. */
async function within<T>(read: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`not reached in ${timeoutMs} ms: ${JSON.stringify(value).slice(0, 300)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("the scenario library across server processes (PostgreSQL + Redis)", { timeout: 120_000 }, () => {
  let postgres: PostgresTestDatabase;
  let folder: string;
  let exported: string;
  let environment: Record<string, string>;
  let one: ServerProcess;
  let two: ServerProcess;
  let late: ServerProcess | undefined;
  const missedDeadline = "missed-deadline/missed-deadline.scenario.yaml";
  const priceObjection = "price-objection/price-objection.scenario.yaml";

  beforeAll(async () => {
    postgres = await createPostgresTestDatabase();
    folder = await mkdtemp(path.join(os.tmpdir(), "spar-library-folder-"));
    exported = await mkdtemp(path.join(os.tmpdir(), "spar-library-export-"));
    await cp(path.join(repositoryRoot, "scenarios"), folder, { recursive: true });
    environment = { DATABASE_URL: postgres.url, REDIS_URL: redisUrl, SPAR_LIBRARY_DIR: folder };
    // The first publishes the folder as the first library and loads the demo; the second finds both.
    one = await startServerProcess({ ...environment, SPAR_DEMO: "load" });
    two = await startServerProcess({ ...environment, SPAR_DEMO: "off" });
  }, 180_000);
  afterAll(async () => {
    for (const server of [one, two, late]) server?.process.kill("SIGTERM");
    await Promise.all([one?.exited, two?.exited, late?.exited]);
    await postgres?.drop();
    await rm(folder, { recursive: true, force: true });
    await rm(exported, { recursive: true, force: true });
  });

  const get = async <T>(server: ServerProcess, url: string, cookie: string, schema: z.ZodType<T>): Promise<T> => {
    const response = await fetch(`${server.baseUrl}${url}`, { headers: { cookie } });
    if (response.status !== 200) throw new Error(`${url}: ${response.status} ${await response.text()}`);
    return schema.parse(await response.json());
  };
  const titleOf = async (server: ServerProcess, cookie: string, scenarioId: string) =>
    (await get(server, "/api/scenarios", cookie, z.object({ scenarios: z.array(ScenarioSummary) }))).scenarios.find((each) => each.id === scenarioId)?.title;
  const status = (server: ServerProcess, cookie: string) => get(server, "/api/library/status", cookie, LibraryStatus);

  it("serves one publication on both processes: the folder, published once by the first", async () => {
    const admin = await signInOverHttp(one.baseUrl, "alex.morgan@demo.example");
    expect(await status(one, admin)).toMatchObject({ publication: { seq: 1, origin: "files" }, issues: [] });
    expect(await status(two, admin)).toMatchObject({ publication: { seq: 1, origin: "files" }, issues: [] });
    expect(two.log()).not.toContain("differs from the published library");
  });

  it("publishes an edit on one process, and the other serves it without a restart", async () => {
    const admin = await signInOverHttp(one.baseUrl, "alex.morgan@demo.example");
    const files = await get(one, "/api/library/files", admin, z.object({ files: z.array(LibraryFile) }));
    const original = files.files.find((file) => file.path === missedDeadline)?.text ?? "";
    const edited = original.replace("title: The missed launch deadline", "title: The launch that slipped").replace("version: 1", "version: 2");
    const response = await fetch(`${one.baseUrl}/api/library/files`, {
      method: "POST",
      headers: { cookie: admin, "content-type": "application/json" },
      body: JSON.stringify({ path: missedDeadline, text: edited }),
    });
    expect(PublishLibraryFileResponse.parse(await response.json())).toMatchObject({ published: true, issues: [] });
    expect(await titleOf(one, admin, "missed-deadline")).toBe("The launch that slipped");

    const learner = await signInOverHttp(two.baseUrl, "sam.whitaker@demo.example");
    await within(() => titleOf(two, learner, "missed-deadline"), (title) => title === "The launch that slipped");
    const onTwo = await get(two, "/api/library/files", admin, z.object({ files: z.array(LibraryFile) }));
    expect(onTwo.files.find((file) => file.path === missedDeadline)).toMatchObject({ text: edited, version: 2 });
    expect(await status(two, admin)).toMatchObject({ publication: { seq: 2, origin: "browser" } });
    // Published in the database only: the folder on disk is as it was.
    expect(await readFile(path.join(folder, missedDeadline), "utf8")).toBe(original);
  });

  it("serves the latest publication on a process started afterwards, and says its folder differs", async () => {
    late = await startServerProcess({ ...environment, SPAR_DEMO: "off" });
    const admin = await signInOverHttp(late.baseUrl, "alex.morgan@demo.example");
    expect(await titleOf(late, admin, "missed-deadline")).toBe("The launch that slipped");
    expect(await status(late, admin)).toMatchObject({ publication: { seq: 2 } });
    expect(late.log()).toMatch(/differs from the published library \(publication 2: 0 added, 1 changed, 0 removed.*spar scenarios publish/);
  });

  it("exports the publication to files, browser edits included, for git", async () => {
    const result = await runCli(["scenarios", "export", exported], { DATABASE_URL: postgres.url });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Wrote library publication 2");
    expect(await readFile(path.join(exported, missedDeadline), "utf8")).toContain("title: The launch that slipped");
    const again = await runCli(["scenarios", "export", exported], { DATABASE_URL: postgres.url });
    expect(again.stdout).toContain("already holds library publication 2");
  });

  it("publishes a folder from the CLI after checking it, and the running servers switch to it", async () => {
    // The exported folder, with one more edit: the browser's edit is kept, nothing is undone.
    const file = path.join(exported, priceObjection);
    const text = await readFile(file, "utf8");
    await writeFile(file, text.replace(/^title: .*$/m, "title: Price pushback, revised"));
    await rm(path.join(exported, "price-objection/held-out/adversarial-phrase-stuffing.example.yaml"));

    const broken = await mkdtemp(path.join(os.tmpdir(), "spar-library-broken-"));
    try {
      await cp(exported, broken, { recursive: true });
      await writeFile(path.join(broken, priceObjection), text.replace("estimated_minutes:", "estimated_minutes: ten\nunknown_field:"));
      const refused = await runCli(["scenarios", "publish", broken], { DATABASE_URL: postgres.url, REDIS_URL: redisUrl });
      expect(refused.code).toBe(1);
      expect(refused.stdout).toContain("Nothing was published");
      expect(refused.stdout).toMatch(/price-objection\.scenario\.yaml:\d+:\d+/);
    } finally {
      await rm(broken, { recursive: true, force: true });
    }

    const published = await runCli(["scenarios", "publish", exported], { DATABASE_URL: postgres.url, REDIS_URL: redisUrl });
    expect(published.stderr).toBe("");
    expect(published.code).toBe(0);
    expect(published.stdout).toContain("as library publication 3:");
    expect(published.stdout).toMatch(/changed\s+price-objection\/price-objection\.scenario\.yaml/);
    expect(published.stdout).toMatch(/removed\s+price-objection\/held-out\/adversarial-phrase-stuffing\.example\.yaml/);
    expect(published.stdout).toContain("Running servers switch to it now.");

    const learner = await signInOverHttp(one.baseUrl, "sam.whitaker@demo.example");
    for (const server of [one, two]) {
      await within(() => titleOf(server, learner, "price-objection"), (title) => title === "Price pushback, revised");
      expect(await titleOf(server, learner, "missed-deadline")).toBe("The launch that slipped");
    }

    const again = await runCli(["scenarios", "publish", exported], { DATABASE_URL: postgres.url, REDIS_URL: redisUrl });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("Nothing changed: publication 3 already holds these files.");
  });
});
