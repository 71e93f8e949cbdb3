// L&D edits the library in the browser: the same validation as the CLI, nothing broken published,
// a valid edit published in the database and live at once, with its new version kept; the
// server's disk is never written.
import { cp, mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { LibraryFile, PublishLibraryFileResponse } from "@spar/protocol";
import { demoSignIn, startTestApp } from "@spar/server/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { repositoryRoot } from "../fixtures/processes.ts";

describe("editing the library over the API (PGlite)", () => {
  let dir: string;
  let server: Awaited<ReturnType<typeof startTestApp>>;
  let alex: string;
  let priya: string;
  const file = "missed-deadline/missed-deadline.scenario.yaml";

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "spar-library-edit-"));
    await cp(path.join(repositoryRoot, "scenarios"), dir, { recursive: true });
    server = await startTestApp("pglite", { environment: { SPAR_LIBRARY_DIR: dir } });
    alex = await demoSignIn(server.app, "alex.morgan@demo.example");
    priya = await demoSignIn(server.app, "priya.natarajan@demo.example");
  });
  afterAll(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const publish = (cookie: string, payload: object) => server.app.inject({ method: "POST", url: "/api/library/files", headers: { cookie }, payload });

  it("lists every file with its source and version, for L&D only", async () => {
    const response = await server.app.inject({ method: "GET", url: "/api/library/files", headers: { cookie: alex } });
    const { files } = z.object({ files: z.array(LibraryFile) }).parse(response.json());
    expect(files.length).toBeGreaterThan(35);
    expect(files.find((each) => each.path === file)).toMatchObject({ kind: "scenario", id: "missed-deadline", version: 1, title: "The missed launch deadline" });
    // Held-out examples sit a folder deeper; they are listed and loaded like the rest, and know they are held out.
    expect(files.find((each) => each.path === "missed-deadline/held-out/strong.example.yaml")).toMatchObject({ kind: "example", id: "missed-deadline", contentHash: expect.any(String) });
    expect(server.library.library.examples.filter((each) => each.heldOut).map((each) => path.basename(path.dirname(each.file)))).toContain("held-out");
    expect(server.library.status().issues).toEqual([]);
    expect((await server.app.inject({ method: "GET", url: "/api/library/files", headers: { cookie: priya } })).statusCode).toBe(403);
  });

  it("refuses a broken edit with the CLI's messages and lines, and leaves the file alone", async () => {
    const original = await readFile(path.join(dir, file), "utf8");
    const broken = original.replace("estimated_minutes: 10", "estimated_minutes: ten");
    const response = PublishLibraryFileResponse.parse((await publish(alex, { path: file, text: broken })).json());
    expect(response.published).toBe(false);
    expect(response.issues).toEqual([expect.objectContaining({ file, path: "estimated_minutes", message: 'expected number, got string "ten"', line: 9 })]);
    expect(await readFile(path.join(dir, file), "utf8")).toBe(original);
  });

  it("publishes a valid edit: a new publication, live at once, audited, the new version kept beside the old, the disk left alone", async () => {
    const original = await readFile(path.join(dir, file), "utf8");
    const edited = original.replace("title: The missed launch deadline", "title: The missed launch date").replace("version: 1", "version: 2");
    const response = PublishLibraryFileResponse.parse((await publish(alex, { path: file, text: edited })).json());
    expect(response.published).toBe(true);
    expect(await readFile(path.join(dir, file), "utf8")).toBe(original);
    expect(server.library.library.scenarios.get("missed-deadline")?.value.title).toBe("The missed launch date");
    const publication = await server.database.prisma.libraryPublication.findFirst({ orderBy: { seq: "desc" }, include: { publishedBy: true } });
    expect(publication).toMatchObject({ seq: 2, origin: "browser", changed: [file], publishedBy: { email: "alex.morgan@demo.example" } });
    const listed = z.object({ files: z.array(LibraryFile) }).parse((await server.app.inject({ method: "GET", url: "/api/library/files", headers: { cookie: alex } })).json());
    expect(listed.files.find((each) => each.path === file)).toMatchObject({ text: edited, version: 2 });
    const versions = await server.database.prisma.scenarioVersion.findMany({ where: { scenarioId: "missed-deadline" }, orderBy: { version: "asc" } });
    expect(versions.map((version) => version.title)).toEqual(["The missed launch deadline", "The missed launch date"]);
    expect(await server.database.prisma.auditEntry.findFirst({ where: { action: "library.published" } })).toMatchObject({ resourceType: "library-publication", resourceId: "2" });
  });

  it("publishes nothing new when the edit leaves the file as it is", async () => {
    const current = server.library.files.find((each) => each.path === file)?.text ?? "";
    expect(PublishLibraryFileResponse.parse((await publish(alex, { path: file, text: current })).json()).published).toBe(true);
    expect(await server.database.prisma.libraryPublication.count()).toBe(2);
  });

  it("refuses paths outside the library and non-admins", async () => {
    expect((await publish(alex, { path: "../escape.scenario.yaml", text: "id: x" })).statusCode).toBe(400);
    expect((await publish(priya, { path: file, text: "id: x" })).statusCode).toBe(403);
  });
});
