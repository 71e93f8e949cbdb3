// A fresh install becomes the demo organisation or a real one, never both, however the first
// requests race; the demo can be removed; failed sign-ins are throttled per account and address
// (an office behind one proxy is not locked out together); the cookie follows its sliding expiry;
// common passwords are refused. Real HTTP on PGlite and PostgreSQL.
import type { DatabaseKind } from "@spar/db";
import { demoPassword } from "@spar/domain";
import { ErrorBody, SetupStatus } from "@spar/protocol";
import { demoSignIn, firstAdminSignIn, ManualClock, startTestApp } from "@spar/server/testing";
import { defaultThrottleLimits } from "@spar/server/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

type TestApp = Awaited<ReturnType<typeof startTestApp>>;
const cookieOf = (response: { headers: Record<string, unknown> }) => String(response.headers["set-cookie"]).split(";")[0] as string;

describe.each<DatabaseKind>(["pglite", "postgresql"])("first run on %s", (kind) => {
  let server: TestApp | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it("lets exactly one of racing 'create the first admin' and 'load the demo' requests win", async () => {
    server = await startTestApp(kind);
    const app = server.app;
    const requests = [
      ...Array.from({ length: 3 }, (_, index) =>
        app.inject({ method: "POST", url: "/api/setup/admin", payload: { name: `Admin ${index}`, email: `admin${index}@example.com`, password: "a long admin passphrase" } }),
      ),
      ...Array.from({ length: 3 }, () => app.inject({ method: "POST", url: "/api/setup/demo" })),
    ];
    const statuses = (await Promise.all(requests)).map((response) => response.statusCode);
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(5);
    const prisma = server.database.prisma;
    const [real, demo] = await Promise.all([prisma.user.count({ where: { isDemo: false } }), prisma.user.count({ where: { isDemo: true } })]);
    expect(real === 1 ? demo : real).toBe(0);
  });

  it("removes the demo organisation for good, and a Spar with nobody left opens on set-up again", async () => {
    server = await startTestApp(kind);
    const alex = await demoSignIn(server.app, "alex.morgan@demo.example");
    const priya = await demoSignIn(server.app, "priya.natarajan@demo.example");
    expect((await server.app.inject({ method: "DELETE", url: "/api/demo", headers: { cookie: priya } })).statusCode).toBe(403);
    expect((await server.app.inject({ method: "DELETE", url: "/api/demo", headers: { cookie: alex } })).statusCode).toBe(204);
    const prisma = server.database.prisma;
    expect(await prisma.user.count()).toBe(0);
    expect(await prisma.team.count()).toBe(0);
    expect(await prisma.practiceSession.count()).toBe(0);
    expect(SetupStatus.parse((await server.app.inject({ method: "GET", url: "/api/setup" })).json())).toMatchObject({ needsSetup: true, demoLoaded: false });
    expect((await server.app.inject({ method: "GET", url: "/api/auth/me", headers: { cookie: alex } })).statusCode).toBe(401);
    await firstAdminSignIn(server.app);
  });

  it("keeps real people when a real admin removes the demo", async () => {
    server = await startTestApp(kind);
    const alex = await demoSignIn(server.app, "alex.morgan@demo.example");
    const added = await server.app.inject({ method: "POST", url: "/api/people", headers: { cookie: alex }, payload: { name: "Real Admin", email: "real.admin@example.com", role: "ld_admin" } });
    const token = String((added.json() as { link: { url: string } }).link.url).split("/").at(-1);
    const joined = await server.app.inject({ method: "POST", url: `/api/account-links/${token}`, payload: { password: "the real admin's phrase" } });
    const real = cookieOf(joined);
    expect((await server.app.inject({ method: "DELETE", url: "/api/demo", headers: { cookie: real } })).statusCode).toBe(204);
    const people = await server.database.prisma.user.findMany({ select: { email: true } });
    expect(people.map((person) => person.email)).toEqual(["real.admin@example.com"]);
    expect((await server.app.inject({ method: "DELETE", url: "/api/demo", headers: { cookie: real } })).statusCode).toBe(404);
    const audit = await server.app.inject({ method: "GET", url: "/api/audit?action=demo.removed", headers: { cookie: real } });
    expect((audit.json() as { entries: { actor: { name: string } | null }[] }).entries[0]?.actor?.name).toBe("Real Admin");
  });

  it("refuses a common password for the first admin, naming the field", async () => {
    server = await startTestApp(kind);
    const response = await server.app.inject({ method: "POST", url: "/api/setup/admin", payload: { name: "A", email: "a@example.com", password: "qwertyuiop" } });
    expect(response.statusCode).toBe(400);
    expect(ErrorBody.parse(response.json()).error.issues).toEqual([{ path: "password", message: expect.stringContaining("common passwords") }]);
  });
});

describe.each<DatabaseKind>(["pglite", "postgresql"])("sign-in throttling behind a trusted proxy on %s", (kind) => {
  // Each test guesses at its own accounts from its own addresses, so they share one server.
  const limits = {
    accountAtAddress: { attempts: 3, windowSeconds: 600, blockSeconds: 600 },
    account: { attempts: 5, windowSeconds: 600, blockSeconds: 600 },
    address: { attempts: 7, windowSeconds: 600, blockSeconds: 600 },
  };
  let server: TestApp;
  beforeAll(async () => {
    server = await startTestApp(kind, { throttleLimits: limits, environment: { SPAR_TRUST_PROXY: "loopback" } });
    await demoSignIn(server.app, "alex.morgan@demo.example");
  });
  afterAll(() => server?.close());

  const signIn = (email: string, password: string, from: string) =>
    server.app.inject({ method: "POST", url: "/api/auth/sign-in", remoteAddress: "127.0.0.1", headers: { "x-forwarded-for": from }, payload: { email, password } });

  it("throttles guesses at one account from one address without locking colleagues behind the same proxy out", async () => {
    for (let attempt = 0; attempt < 3; attempt++) expect((await signIn("tomas.ortega@demo.example", "wrong guess", "203.0.113.7")).statusCode).toBe(401);
    const blocked = await signIn("tomas.ortega@demo.example", demoPassword, "203.0.113.7");
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers["retry-after"])).toBeGreaterThan(500);
    expect(ErrorBody.parse(blocked.json()).error.message).toMatch(/^Too many failed sign-ins. Try again in \d+ minutes\.$/);
    // The right password from the person's own desk, and a colleague at the attacker's address, still work.
    expect((await signIn("tomas.ortega@demo.example", demoPassword, "198.51.100.20")).statusCode).toBe(200);
    expect((await signIn("sam.whitaker@demo.example", demoPassword, "203.0.113.7")).statusCode).toBe(200);
  });

  it("slows one account guessed from many addresses", async () => {
    const spread = [];
    for (let attempt = 0; attempt < 6; attempt++) spread.push((await signIn("lena.fischer@demo.example", "wrong guess", `192.0.2.${attempt + 1}`)).statusCode);
    expect(spread).toEqual([401, 401, 401, 401, 401, 429]);
  });

  it("slows one address guessing many accounts", async () => {
    const accounts = ["aisha.bello@demo.example", "jordan.reyes@demo.example", "priya.natarajan@demo.example", "kenji.watanabe@demo.example"];
    const sprayed = [];
    for (let attempt = 0; attempt < 8; attempt++) sprayed.push((await signIn(accounts[attempt % 4] as string, `guess ${attempt}`, "198.51.100.99")).statusCode);
    expect(sprayed).toEqual([401, 401, 401, 401, 401, 401, 401, 429]);
  });

  it("counts racing guesses in the database: no more get through than the limit", async () => {
    const statuses = (await Promise.all(Array.from({ length: 10 }, () => signIn("mateo.rossi@demo.example", "wrong guess", "203.0.113.50")))).map(
      (response) => response.statusCode,
    );
    expect(statuses.filter((status) => status === 401)).toHaveLength(3);
    expect(statuses.filter((status) => status === 429)).toHaveLength(7);
  });
});

describe.each<DatabaseKind>(["pglite", "postgresql"])("sign-in without a trusted proxy on %s", (kind) => {
  const clock = new ManualClock(new Date());
  let server: TestApp;
  beforeAll(async () => {
    server = await startTestApp(kind, {
      clock,
      throttleLimits: { ...defaultThrottleLimits, accountAtAddress: { attempts: 3, windowSeconds: 600, blockSeconds: 600 } },
      environment: { SESSION_IDLE_MINUTES: "30" },
    });
    await demoSignIn(server.app, "alex.morgan@demo.example");
  });
  afterAll(() => server?.close());

  it("ignores X-Forwarded-For: a forged header cannot dodge the limit", async () => {
    const statuses = [];
    for (let attempt = 0; attempt < 4; attempt++) {
      const response = await server.app.inject({
        method: "POST",
        url: "/api/auth/sign-in",
        headers: { "x-forwarded-for": `10.0.0.${attempt}` },
        payload: { email: "tomas.ortega@demo.example", password: "wrong guess" },
      });
      statuses.push(response.statusCode);
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
  });

  it("sends the cookie again whenever its expiry slides, so an active person stays signed in", async () => {
    const cookie = await demoSignIn(server.app, "sam.whitaker@demo.example");
    let lastExpiry = 0;
    // Two hours of activity, a request every 20 minutes: four times the idle limit.
    for (let step = 0; step < 6; step++) {
      clock.advance(20 * 60_000);
      const response = await server.app.inject({ method: "GET", url: "/api/auth/me", headers: { cookie } });
      expect(response.statusCode).toBe(200);
      const setCookie = String(response.headers["set-cookie"] ?? "");
      expect(setCookie).toContain(cookie);
      const expires = Date.parse(/Expires=([^;]+)/.exec(setCookie)?.[1] ?? "");
      // Cookie dates have whole seconds.
      expect(Math.abs(expires - (clock.now().getTime() + 30 * 60_000))).toBeLessThan(1_000);
      expect(expires).toBeGreaterThan(lastExpiry);
      lastExpiry = expires;
    }
    clock.advance(31 * 60_000);
    expect((await server.app.inject({ method: "GET", url: "/api/auth/me", headers: { cookie } })).statusCode).toBe(401);
  });
});
