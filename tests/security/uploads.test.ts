// What an L&D author (or someone with their account) can upload to the library: files built to
// stall or crash the validator, binary, odd names. Each is refused with a 4xx or with issues an
// author can act on, nothing is published, and the server keeps answering others meanwhile.
import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { PrismaLibraryPublications } from "@spar/db";
import { ErrorBody, LibraryFile, PublishLibraryFileResponse } from "@spar/protocol";
import { demoSignIn, startTestApp } from "@spar/server/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { runCli } from "../fixtures/processes.ts";

type TestApp = Awaited<ReturnType<typeof startTestApp>>;

/** What an author must never be shown: a crash, a stack, or an internal name. */
const unreadable = /Maximum call stack|RangeError|TypeError|ReferenceError|\bat .+\.(js|ts):\d+|undefined|\[object Object\]/;

const keys = (count: number) => Array.from({ length: count }, (_, index) => `k${index.toString(36)}: v`).join("\n");
/** The slowest shape for the YAML parser found: a flat flow list of 125,000 one-character items (about 250 KiB). */
const denseList = `id: x\nrules: [${Array(125_000).fill("1").join(",")}]\n`;
const aliasBomb = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]", ..."bcdefghi".split("").map((name, index) => `${name}: &${name} [${Array(9).fill(`*${"abcdefgh"[index]}`).join(", ")}]`)].join("\n");
const binary = Buffer.from(Array.from({ length: 4_096 }, (_, index) => (index * 7919) % 256)).toString("latin1");

describe("uploading library files (PGlite)", () => {
  let server: TestApp;
  let alex: string;
  let scenarioText: string;
  const scenarioPath = "missed-deadline/missed-deadline.scenario.yaml";

  beforeAll(async () => {
    server = await startTestApp("pglite");
    alex = await demoSignIn(server.app, "alex.morgan@demo.example");
    const listed = z.object({ files: z.array(LibraryFile) }).parse((await server.app.inject({ method: "GET", url: "/api/library/files", headers: { cookie: alex } })).json());
    scenarioText = listed.files.find((file) => file.path === scenarioPath)?.text ?? "";
  }, 60_000);
  afterAll(() => server?.close());

  const publish = (filePath: string, text: string) =>
    server.app.inject({ method: "POST", url: "/api/library/files", headers: { cookie: alex, "content-type": "application/json" }, payload: JSON.stringify({ path: filePath, text }) });
  const publications = () => server.database.prisma.libraryPublication.count();

  /** The refusal's messages: a 4xx error body's, or the issues of a publish that was refused. */
  async function refusal(filePath: string, text: string): Promise<{ status: number; messages: string[] }> {
    const response = await publish(filePath, text);
    if (response.statusCode >= 400) {
      expect(response.statusCode, response.body.slice(0, 300)).toBeLessThan(500);
      const { error } = ErrorBody.parse(response.json());
      return { status: response.statusCode, messages: error.issues?.map((issue) => `${issue.path}: ${issue.message}`) ?? [error.message] };
    }
    const body = PublishLibraryFileResponse.parse(response.json());
    expect(body.published, JSON.stringify(body.issues).slice(0, 300)).toBe(false);
    for (const issue of body.issues) expect(issue.line).toBeGreaterThanOrEqual(1);
    return { status: response.statusCode, messages: body.issues.map((issue) => `${issue.line}:${issue.column} ${issue.message}`) };
  }

  const corpus: [string, () => [string, string], RegExp][] = [
    ["25,000 keys (about 200 KiB)", () => [scenarioPath, keys(25_000)], /^5000:7 more than 10,000 values/],
    ["2,000 levels of flow lists", () => [scenarioPath, `id: x\ntitle: ${"[".repeat(2_000)}${"]".repeat(2_000)}`], /^2:\d+ nesting is deeper than 24 levels$/],
    ["2,000 levels of block lists", () => [scenarioPath, `${"- ".repeat(2_000)}x`], /^1:\d+ nesting is deeper than 24 levels$/],
    ["an alias bomb", () => [scenarioPath, aliasBomb], /more than 50 aliases \(\*name\): refused as a possible resource exhaustion attack/],
    ["a flat list of 125,000 items", () => [scenarioPath, denseList], /more than 10,000 values/],
    ["a file over 256 KiB", () => [scenarioPath, `id: x\ntitle: "${"x".repeat(270_000)}"\n`], /(256|262144|too big|at most)/i],
    ["binary", () => [scenarioPath, binary], /^text: line 1, column 1: contains a NUL character \(U\+0000\); remove it$/],
    ["a key repeated", () => [scenarioPath, scenarioText.replace("title:", "title: Twice\ntitle:")], /this field appears twice \(first on line \d+\)/],
    ["a name of 300 characters", () => [`${"a".repeat(300)}/x.scenario.yaml`, scenarioText], /^path: a library path has at most 200 characters; this one has 316$/],
    ["a folder name of 100 characters", () => [`${"a".repeat(100)}/x.scenario.yaml`, scenarioText], /^path: a folder or file name has at most 64 characters/],
    ["a path out of the library", () => ["../escape.scenario.yaml", scenarioText], /^path: the path must stay inside the library/],
    ["a .. inside the path", () => ["a/../../b.scenario.yaml", scenarioText], /^path: the path must stay inside the library/],
    ["a backslash", () => ["a\\b.scenario.yaml", scenarioText], /^path: use lower-case letters, digits and dashes/],
    ["capitals and spaces", () => ["My Scenario/x.scenario.yaml", scenarioText], /^path: use lower-case letters, digits and dashes/],
    ["letters outside a-z", () => ["café/x.scenario.yaml", scenarioText], /^path: use lower-case letters, digits and dashes/],
    ["a hidden file", () => ["x/.x.scenario.yaml", scenarioText], /^path: use lower-case letters, digits and dashes/],
    ["a .yml ending", () => ["x/x.scenario.yml", scenarioText], /^path: name library files \*\.scenario\.yaml/],
    ["a text file", () => ["x/notes.txt", scenarioText], /^path: name library files \*\.scenario\.yaml/],
    ["no name at all", () => ["", scenarioText], /^path: give the file's path in the library/],
    ["folders five deep", () => ["a/b/c/d/e.scenario.yaml", scenarioText], /^path: a library file sits at most 3 folders deep/],
    ["a NUL in the name", () => ["x/x\u0000.scenario.yaml", scenarioText], /^path: contains a NUL character/],
  ];

  it.each(corpus)("refuses %s with a clear message and publishes nothing", async (_name, upload, expected) => {
    const before = await publications();
    const [filePath, text] = upload();
    const { status, messages } = await refusal(filePath, text);
    expect(status).toBeLessThan(500);
    expect(messages.length).toBeGreaterThan(0);
    expect(messages[0]).toMatch(expected);
    for (const message of messages) expect(message).not.toMatch(unreadable);
    expect(await publications()).toBe(before);
  });

  it("publishes a file saved with a byte-order mark, as Windows editors write it", async () => {
    const response = PublishLibraryFileResponse.parse((await publish(scenarioPath, `\ufeff${scenarioText.replace("version: 1", "version: 2")}`)).json());
    expect(response.published).toBe(true);
  });

  it.each([
    ["25,000 keys", () => keys(25_000)],
    ["a flat list of 125,000 items", () => denseList],
  ])("keeps the server's thread free while it validates %s: /health answers meanwhile", async (_name, text) => {
    // Warm up the route and the validation's thread, so the measurement is of the upload alone.
    await server.app.inject({ method: "GET", url: "/health" });
    await publish(scenarioPath, "id: warm-up\n");
    // The time the event loop spent running (not waiting) while the upload was answered: every
    // request waits behind it, so it bounds how long the upload can hold another request up. It is
    // measured rather than the wait of another request because on a shared machine a thread can
    // lose its core for a while whatever it does; running time is what the upload decides.
    const before = performance.eventLoopUtilization();
    expect((await publish(scenarioPath, text())).statusCode).toBe(200);
    const busy = performance.eventLoopUtilization(before);
    // Reading the request body stays on the loop; validating there would hold it for the whole
    // validation. The bound leaves room for a busy machine, where the reading alone took 120 ms.
    expect(busy.active, `busy ${busy.active.toFixed(0)} ms of ${(busy.idle + busy.active).toFixed(0)} ms`).toBeLessThan(250);
    // And the loop turns while the validation runs: a request sent meanwhile is answered meanwhile.
    let done = false;
    const upload = publish(scenarioPath, text()).finally(() => {
      done = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await server.app.inject({ method: "GET", url: "/health" })).statusCode).toBe(200);
    expect(done).toBe(false);
    expect((await upload).statusCode).toBe(200);
  });
});

describe("exporting a publication whose file names no folder should hold (PostgreSQL)", () => {
  let server: TestApp;
  let folder: string;

  beforeAll(async () => {
    server = await startTestApp("postgresql");
    folder = await mkdtemp(path.join(os.tmpdir(), "spar-export-names-"));
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await rm(folder, { recursive: true, force: true });
  });

  it("refuses before writing anything, naming the file and the rule", async () => {
    // As an older release could have published it: the names were checked only by pattern then.
    const publications = new PrismaLibraryPublications(server.database.prisma);
    const latest = await publications.latest();
    const longName = `${"a".repeat(300)}/x.scenario.yaml`;
    expect(
      await publications.insert({
        seq: (latest?.seq ?? 0) + 1,
        files: [...(latest?.files ?? []), { path: longName, text: "id: x\n" }],
        publishedAt: new Date(),
        publishedById: null,
        origin: "browser",
        changed: [longName],
      }),
    ).toBe(true);
    const result = await runCli(["scenarios", "export", folder], { DATABASE_URL: server.database.url as string });
    expect(result.code, result.stdout + result.stderr).toBe(1);
    expect(result.stderr).toContain("Nothing was written");
    expect(result.stderr).toContain("a library path has at most 200 characters; this one has 316");
    expect(await readdir(folder)).toEqual([]);
  }, 60_000);
});
