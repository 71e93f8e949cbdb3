import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock, startTestApp } from "../src/testing.ts";

type TestApp = Awaited<ReturnType<typeof startTestApp>>;

function cookieFrom(response: { headers: Record<string, unknown> }): string {
  const header = response.headers["set-cookie"];
  const first = Array.isArray(header) ? header[0] : header;
  return String(first).split(";")[0] as string;
}

describe("first run, sign-in and sessions (PGlite, inject)", () => {
  const clock = new ManualClock();
  let server: TestApp;
  const admin = { name: "Rae Lindqvist", email: "Rae@Example.com", password: "a long enough password" };

  beforeAll(async () => {
    server = await startTestApp("pglite", { clock, environment: { SESSION_IDLE_MINUTES: "30" } });
  });
  afterAll(() => server?.close());

  it("reports a fresh install that needs set-up", async () => {
    const response = await server.app.inject({ method: "GET", url: "/api/setup" });
    expect(response.json()).toEqual({ needsSetup: true, demoLoaded: false, demoAllowed: true });
  });

  it("rejects a bad first admin with every field's problem", async () => {
    const response = await server.app.inject({
      method: "POST",
      url: "/api/setup/admin",
      payload: { name: "", email: "not-an-email", password: "short" },
    });
    expect(response.statusCode).toBe(400);
    const { error } = response.json();
    expect(error.code).toBe("VALIDATION_FAILED");
    expect(error.issues.map((issue: { path: string }) => issue.path).sort()).toEqual(["email", "name", "password"]);
    expect(error.requestId).toBe(response.headers["x-request-id"]);
  });

  it("creates the first L&D admin once and signs them in with an HTTP-only, SameSite cookie", async () => {
    const response = await server.app.inject({ method: "POST", url: "/api/setup/admin", payload: admin });
    expect(response.statusCode).toBe(201);
    expect(response.json().user).toMatchObject({ email: "rae@example.com", role: "ld_admin" });
    const setCookie = String(response.headers["set-cookie"]);
    expect(setCookie).toMatch(/^spar_session=[\w-]{43};/);
    expect(setCookie).toContain("HttpOnly");
    expect(setCookie).toContain("SameSite=Lax");

    const me = await server.app.inject({ method: "GET", url: "/api/auth/me", headers: { cookie: cookieFrom(response) } });
    expect(me.json().user.name).toBe("Rae Lindqvist");

    const again = await server.app.inject({ method: "POST", url: "/api/setup/admin", payload: { ...admin, email: "x@example.com" } });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe("ALREADY_SET_UP");
    const demo = await server.app.inject({ method: "POST", url: "/api/setup/demo" });
    expect(demo.json().error.code).toBe("ALREADY_SET_UP");
  });

  it("gives a wrong password and an unknown email the same answer", async () => {
    const wrong = await server.app.inject({
      method: "POST", url: "/api/auth/sign-in", payload: { email: admin.email, password: "not the password" },
    });
    const unknown = await server.app.inject({
      method: "POST", url: "/api/auth/sign-in", payload: { email: "nobody@example.com", password: "not the password" },
    });
    const strip = (body: { error: Record<string, unknown> }) => ({ ...body.error, requestId: undefined });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(strip(wrong.json())).toEqual(strip(unknown.json()));
    expect(wrong.json().error.code).toBe("INVALID_CREDENTIALS");
    expect(wrong.headers["set-cookie"]).toBeUndefined();
  });

  it("expires a session left idle, and slides the expiry of one in use", async () => {
    const signIn = await server.app.inject({
      method: "POST", url: "/api/auth/sign-in", payload: { email: admin.email, password: admin.password },
    });
    const cookie = cookieFrom(signIn);
    const me = () => server.app.inject({ method: "GET", url: "/api/auth/me", headers: { cookie } });

    clock.advance(25 * 60_000);
    expect((await me()).statusCode).toBe(200);
    clock.advance(25 * 60_000); // 50 minutes after sign-in, 25 after last use
    expect((await me()).statusCode).toBe(200);
    clock.advance(31 * 60_000);
    const expired = await me();
    expect(expired.statusCode).toBe(401);
    expect(expired.json().error.code).toBe("UNAUTHENTICATED");
  });

  it("signs out: the old cookie no longer works", async () => {
    const signIn = await server.app.inject({
      method: "POST", url: "/api/auth/sign-in", payload: { email: admin.email, password: admin.password },
    });
    const cookie = cookieFrom(signIn);
    const out = await server.app.inject({ method: "POST", url: "/api/auth/sign-out", headers: { cookie } });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers["set-cookie"])).toContain("spar_session=;");
    expect((await server.app.inject({ method: "GET", url: "/api/auth/me", headers: { cookie } })).statusCode).toBe(401);
  });
});

describe("the demo organisation on a fresh install", () => {
  let server: TestApp;
  beforeAll(async () => {
    server = await startTestApp("pglite");
  });
  afterAll(() => server?.close());

  it("is offered, loads in one step, and its accounts are listed for the sign-in page", async () => {
    expect((await server.app.inject({ method: "GET", url: "/api/auth/demo-accounts" })).json()).toEqual({ password: null, accounts: [] });
    const loaded = await server.app.inject({ method: "POST", url: "/api/setup/demo" });
    expect(loaded.statusCode).toBe(201);
    const listed = await server.app.inject({ method: "GET", url: "/api/auth/demo-accounts" });
    const { password, accounts } = listed.json();
    expect(accounts).toHaveLength(15);
    expect(accounts[0]).toMatchObject({ role: "ld_admin", email: "alex.morgan@demo.example" });
    const signIn = await server.app.inject({
      method: "POST", url: "/api/auth/sign-in", payload: { email: "tomas.ortega@demo.example", password },
    });
    expect(signIn.json().user).toMatchObject({ name: "Tomás Ortega", role: "learner" });
    expect((await server.app.inject({ method: "GET", url: "/api/setup" })).json()).toEqual({
      needsSetup: false, demoLoaded: true, demoAllowed: true,
    });
  });
});
