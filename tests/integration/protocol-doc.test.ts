// The minimal client in docs/protocol.md, run as written against a listening server.
import { execFile } from "node:child_process";
import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { demoSignIn, startTestApp } from "@spar/server/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repositoryRoot } from "../fixtures/processes.ts";

describe("the client example in docs/protocol.md", () => {
  let server: Awaited<ReturnType<typeof startTestApp>>;
  let baseUrl: string;
  const script = path.join(repositoryRoot, "tests", `protocol-doc-client-${process.pid}.mjs`);

  beforeAll(async () => {
    server = await startTestApp("pglite");
    baseUrl = await server.app.listen({ port: 0, host: "127.0.0.1" });
    await demoSignIn(server.app, "sam.whitaker@demo.example");
  });
  afterAll(async () => {
    await rm(script, { force: true });
    await server?.close();
  });

  it("practises a turn as the page says it will", async () => {
    const doc = await readFile(path.join(repositoryRoot, "docs", "protocol.md"), "utf8");
    const code = doc.match(/## A minimal client\s+```js\n([\s\S]+?)```/)?.[1];
    expect(code).toBeDefined();
    await writeFile(script, (code ?? "").replaceAll("http://localhost:3000", baseUrl).replaceAll("ws://localhost:3000", baseUrl.replace("http", "ws")));
    const { stdout } = await promisify(execFile)(process.execPath, [script], { timeout: 20_000 });
    expect(stdout).toContain("Hey. I assume this is about Thursday.");
    expect(stdout.trim().split("\n").length).toBeGreaterThanOrEqual(2);
  });
});
