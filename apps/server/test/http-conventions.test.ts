import { readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repositoryRoot } from "../src/env.ts";
import { buildApp } from "../src/app.ts";
import { startTestApp } from "../src/testing.ts";

const newestMigration = readdirSync(path.join(repositoryRoot, "prisma/migrations"), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort()
  .at(-1);

type TestApp = Awaited<ReturnType<typeof startTestApp>>;

describe("HTTP conventions (PGlite, inject)", () => {
  let server: TestApp;
  beforeAll(async () => {
    server = await startTestApp("pglite", { environment: { SPAR_DEMO: "off", PUBLIC_URL: "https://spar.example.com" } });
    server.app.get("/api/test-failure", { config: { access: "public" } }, async () => {
      throw new Error("connection to 10.0.0.7 refused: password=hunter2");
    });
  });
  afterAll(() => server?.close());

  it("reports health: database kind, migration level and engine", async () => {
    const response = await server.app.inject({ method: "GET", url: "/health" });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      status: "ok",
      database: { kind: "pglite", reachable: true, migration: newestMigration },
      llm: { engine: "offline", personaModel: null },
    });
  });

  it("refuses to start with an API route that does not say who may call it", async () => {
    const { app } = await buildApp({ config: server.config, database: server.database, logger: false });
    expect(() => app.get("/api/forgotten", async () => "open to all")).toThrow(/does not declare config.access/);
    await app.close();
  });

  it("answers a server fault with a stable code and no internals", async () => {
    const response = await server.app.inject({ method: "GET", url: "/api/test-failure" });
    expect(response.statusCode).toBe(500);
    expect(response.json().error.code).toBe("INTERNAL");
    expect(response.body).not.toContain("hunter2");
    expect(response.body).not.toContain("10.0.0.7");
  });

  it("answers unknown API paths with JSON and other paths with the web app", async () => {
    const api = await server.app.inject({ method: "GET", url: "/api/nothing-here" });
    expect(api.statusCode).toBe(404);
    expect(api.json().error.code).toBe("NOT_FOUND");
    const page = await server.app.inject({ method: "GET", url: "/practice/some-deep-link" });
    expect(page.statusCode).toBe(200);
    expect(page.headers["content-type"]).toContain("text/html");
  });

  it("refuses a state-changing request from another site", async () => {
    const foreign = await server.app.inject({
      method: "POST", url: "/api/auth/sign-in", headers: { origin: "https://evil.example" },
      payload: { email: "a@b.example", password: "x" },
    });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().error.code).toBe("FOREIGN_ORIGIN");
    const own = await server.app.inject({
      method: "POST", url: "/api/auth/sign-in", headers: { origin: "https://spar.example.com" },
      payload: { email: "a@b.example", password: "x" },
    });
    expect(own.json().error.code).toBe("INVALID_CREDENTIALS");
  });

  it("rejects malformed JSON and oversized bodies with clear codes", async () => {
    const malformed = await server.app.inject({
      method: "POST", url: "/api/auth/sign-in", headers: { "content-type": "application/json" }, payload: "{not json",
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.code).toBe("BAD_REQUEST");
    const huge = await server.app.inject({
      method: "POST", url: "/api/auth/sign-in", payload: { email: "a@b.example", password: "x".repeat(100_000) },
    });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error.code).toBe("PAYLOAD_TOO_LARGE");
  });

  it("keeps the demo organisation away when the operator turned it off", async () => {
    const response = await server.app.inject({ method: "POST", url: "/api/setup/demo" });
    expect(response.statusCode).toBe(403);
  });

  it("marks session cookies Secure behind an https public URL", async () => {
    await server.app.inject({
      method: "POST", url: "/api/setup/admin", payload: { name: "Ops", email: "ops@example.com", password: "long enough password" },
    }).then((response) => expect(String(response.headers["set-cookie"])).toContain("Secure"));
  });
});
