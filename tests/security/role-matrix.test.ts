// Every role against every kind of resource, on the API (not just in the UI): a learner sees only
// their own work, a manager only their own team's, L&D aggregates and the library, never a
// transcript. Run on the demo organisation with its practice history.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { demoSignIn, startTestApp } from "@spar/server/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

type Who = "tomas" | "sam" | "priya" | "jordan" | "alex" | "anonymous";

const testsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const routePattern = (url: string) => new RegExp(`^${url.replace(/:\w+/g, "[^/]+")}$`);

/** Every API route and who may call it, as the app declares it: a new route is added here on purpose. */
const declared: Record<string, "public" | "signed-in" | string[]> = {
  "GET /api/account-links/:token": "public",
  "POST /api/account-links/:token": "public",
  "GET /api/admin/teams": ["ld_admin"],
  "POST /api/assignments": ["manager"],
  "GET /api/assignments/mine": "signed-in",
  "GET /api/audit": ["ld_admin"],
  "GET /api/auth/demo-accounts": "public",
  "GET /api/auth/me": "signed-in",
  "GET /api/auth/session": "public",
  "GET /api/auth/oidc/callback": "public",
  "GET /api/auth/oidc/login": "public",
  "GET /api/auth/options": "public",
  "POST /api/auth/password": "signed-in",
  "POST /api/auth/sign-in": "public",
  "POST /api/auth/sign-out": "public",
  "DELETE /api/demo": ["ld_admin"],
  "GET /api/learners/:learnerId/history": "signed-in",
  "GET /api/library/calibration": ["ld_admin"],
  "GET /api/library/files": ["ld_admin"],
  "POST /api/library/files": ["ld_admin"],
  "GET /api/library/status": ["ld_admin"],
  "GET /api/people": ["ld_admin"],
  "POST /api/people": ["ld_admin"],
  "GET /api/people/:learnerId/brief": "signed-in",
  "GET /api/people/:learnerId/observations": "signed-in",
  "POST /api/people/:learnerId/observations": ["manager"],
  "GET /api/people/:learnerId/one-to-ones": "signed-in",
  "POST /api/people/:learnerId/one-to-ones": ["manager"],
  "GET /api/people/:personId": ["ld_admin"],
  "PATCH /api/people/:personId": ["ld_admin"],
  "POST /api/people/:personId/erase": ["ld_admin"],
  "GET /api/people/:personId/export": ["ld_admin"],
  "POST /api/people/:personId/invitation": ["ld_admin"],
  "POST /api/people/:personId/password-reset": ["ld_admin"],
  "POST /api/people/import": ["ld_admin"],
  "GET /api/practice-sessions/open": "signed-in",
  "GET /api/practice-sessions/:sessionId": "signed-in",
  "POST /api/practice-sessions/:sessionId/discard": "signed-in",
  "GET /api/practice-sessions/:sessionId/comments": "signed-in",
  "POST /api/practice-sessions/:sessionId/rescore": "signed-in",
  "GET /api/practice-sessions/:sessionId/scorecards": "signed-in",
  "POST /api/practice-sessions/:sessionId/turns/:turn/comments": ["manager"],
  "GET /api/practice-sessions/:sessionId/turns/:turn/audio": "signed-in",
  "GET /api/practice/socket": "signed-in",
  "GET /api/programme": ["ld_admin"],
  "GET /api/programme/:table": ["ld_admin"],
  "POST /api/programme/rescore": "signed-in",
  "GET /api/scenarios": "signed-in",
  "GET /api/scenarios/:scenarioId": "signed-in",
  "POST /api/scorecards/:scorecardId/criteria/:criterionId/override": ["manager", "ld_admin"],
  "GET /api/scorecards/:scorecardId/overrides": "signed-in",
  "GET /api/scoring/failures": ["ld_admin"],
  "POST /api/scoring/failures/:sessionId/retry": ["ld_admin"],
  "GET /api/setup": "public",
  "POST /api/setup/admin": "public",
  "POST /api/setup/demo": "public",
  "POST /api/teams": ["ld_admin"],
  "GET /api/teams": ["manager", "ld_admin"],
  "DELETE /api/teams/:teamId": ["ld_admin"],
  "PATCH /api/teams/:teamId": ["ld_admin"],
  "GET /api/teams/:teamId/assignments": ["manager"],
  "GET /api/teams/:teamId/overview": ["manager"],
};

/**
 * Routes that act on one person's work other than by GET, and the test that checks that only the
 * right people may (their manager, the person, or L&D where the domain says so).
 */
const perPerson: Record<string, string> = {
  "POST /api/practice-sessions/:sessionId/rescore": "security/rescore.test.ts",
  "POST /api/practice-sessions/:sessionId/discard": "integration/discard-sessions.test.ts",
  "GET /api/practice-sessions/:sessionId/turns/:turn/audio": "integration/voice-audio.test.ts",
  "POST /api/practice-sessions/:sessionId/turns/:turn/comments": "security/role-matrix.test.ts",
  "POST /api/people/:learnerId/observations": "security/role-matrix.test.ts",
  "POST /api/people/:learnerId/one-to-ones": "security/role-matrix.test.ts",
  "POST /api/scorecards/:scorecardId/criteria/:criterionId/override": "security/role-matrix.test.ts",
};

describe("the role matrix (PGlite, demo history)", () => {
  let server: Awaited<ReturnType<typeof startTestApp>>;
  const cookies = new Map<Who, string>();
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    server = await startTestApp("pglite", { environment: { SPAR_DEMO_HISTORY: "on" } });
    const emails: Record<Exclude<Who, "anonymous">, string> = {
      tomas: "tomas.ortega@demo.example",
      sam: "sam.whitaker@demo.example",
      priya: "priya.natarajan@demo.example",
      jordan: "jordan.reyes@demo.example",
      alex: "alex.morgan@demo.example",
    };
    for (const [who, email] of Object.entries(emails)) cookies.set(who as Who, await demoSignIn(server.app, email));
    const prisma = server.database.prisma;
    ids.tomas = (await prisma.user.findUniqueOrThrow({ where: { email: emails.tomas } })).id;
    ids.sales = (await prisma.team.findUniqueOrThrow({ where: { name: "Mid-Market Sales" } })).id;
    ids.session = (await prisma.practiceSession.findFirstOrThrow({ where: { learnerId: ids.tomas, scorecards: { some: {} } } })).id;
    ids.scorecard = (await prisma.scorecard.findFirstOrThrow({ where: { sessionId: ids.session } })).id;
  }, 120_000);
  afterAll(() => server?.close());

  // 2xx = allowed; 401 = sign in first; 403 = refused.
  const matrix: [string, (ids: Record<string, string>) => string, Record<Who, number>][] = [
    ["own practice session", (ids) => `/api/practice-sessions/${ids.session}`, { tomas: 200, sam: 403, priya: 200, jordan: 403, alex: 403, anonymous: 401 }],
    ["its scorecards", (ids) => `/api/practice-sessions/${ids.session}/scorecards`, { tomas: 200, sam: 403, priya: 200, jordan: 403, alex: 403, anonymous: 401 }],
    ["its override history", (ids) => `/api/scorecards/${ids.scorecard}/overrides`, { tomas: 200, sam: 403, priya: 200, jordan: 403, alex: 200, anonymous: 401 }],
    ["comments on its turns", (ids) => `/api/practice-sessions/${ids.session}/comments`, { tomas: 200, sam: 403, priya: 200, jordan: 403, alex: 403, anonymous: 401 }],
    ["a person's history", (ids) => `/api/learners/${ids.tomas}/history`, { tomas: 200, sam: 403, priya: 200, jordan: 403, alex: 403, anonymous: 401 }],
    ["a person's brief", (ids) => `/api/people/${ids.tomas}/brief`, { tomas: 200, sam: 403, priya: 200, jordan: 403, alex: 403, anonymous: 401 }],
    ["one-to-ones", (ids) => `/api/people/${ids.tomas}/one-to-ones`, { tomas: 200, sam: 403, priya: 200, jordan: 403, alex: 403, anonymous: 401 }],
    ["observations", (ids) => `/api/people/${ids.tomas}/observations`, { tomas: 200, sam: 403, priya: 200, jordan: 403, alex: 403, anonymous: 401 }],
    ["a team's overview", (ids) => `/api/teams/${ids.sales}/overview`, { tomas: 403, sam: 403, priya: 200, jordan: 403, alex: 403, anonymous: 401 }],
    ["a team's assignments", (ids) => `/api/teams/${ids.sales}/assignments`, { tomas: 403, sam: 403, priya: 200, jordan: 403, alex: 403, anonymous: 401 }],
    ["the team list", () => "/api/teams", { tomas: 403, sam: 403, priya: 200, jordan: 200, alex: 200, anonymous: 401 }],
    ["own assignments", () => "/api/assignments/mine", { tomas: 200, sam: 200, priya: 200, jordan: 200, alex: 200, anonymous: 401 }],
    ["the programme view", () => "/api/programme", { tomas: 403, sam: 403, priya: 403, jordan: 403, alex: 200, anonymous: 401 }],
    ["a programme CSV", () => "/api/programme/weak-criteria.csv", { tomas: 403, sam: 403, priya: 403, jordan: 403, alex: 200, anonymous: 401 }],
    ["the library status", () => "/api/library/status", { tomas: 403, sam: 403, priya: 403, jordan: 403, alex: 200, anonymous: 401 }],
    ["calibration results", () => "/api/library/calibration", { tomas: 403, sam: 403, priya: 403, jordan: 403, alex: 200, anonymous: 401 }],
    ["scoring that failed", () => "/api/scoring/failures", { tomas: 403, sam: 403, priya: 403, jordan: 403, alex: 200, anonymous: 401 }],
    ["the scenario library", () => "/api/scenarios", { tomas: 200, sam: 200, priya: 200, jordan: 200, alex: 200, anonymous: 401 }],
    ["the people list", () => "/api/people", { tomas: 403, sam: 403, priya: 403, jordan: 403, alex: 200, anonymous: 401 }],
    ["a person's account", (ids) => `/api/people/${ids.tomas}`, { tomas: 403, sam: 403, priya: 403, jordan: 403, alex: 200, anonymous: 401 }],
    ["the teams to administer", () => "/api/admin/teams", { tomas: 403, sam: 403, priya: 403, jordan: 403, alex: 200, anonymous: 401 }],
    ["the audit log", () => "/api/audit", { tomas: 403, sam: 403, priya: 403, jordan: 403, alex: 200, anonymous: 401 }],
    ["a person's data export", (ids) => `/api/people/${ids.tomas}/export`, { tomas: 403, sam: 403, priya: 403, jordan: 403, alex: 200, anonymous: 401 }],
  ];

  it.each(matrix)("%s", async (_name, url, expected) => {
    const path = url(ids);
    const actual = Object.fromEntries(
      await Promise.all(
        (Object.keys(expected) as Who[]).map(async (who) => {
          const cookie = cookies.get(who);
          const response = await server.app.inject({ method: "GET", url: path, headers: cookie ? { cookie } : {} });
          return [who, response.statusCode] as const;
        }),
      ),
    );
    expect(actual).toEqual(expected);
  });

  // Generated from the app's own route table: every route, new ones included, refuses the roles
  // its declaration leaves out, before it reads a body or touches data. Writes are sent only as
  // people who must be refused, so nothing changes; reads are sent as everyone.
  describe("every route enforces its declared access", () => {
    const roleOf: Record<Exclude<Who, "anonymous">, string> = { tomas: "learner", sam: "learner", priya: "manager", jordan: "manager", alex: "ld_admin" };
    const fill = (url: string) =>
      url.replace(/:(\w+)/g, (_match, name: string) => (name === "token" ? "x".repeat(43) : name === "table" ? "teams" : "00000000-0000-7000-8000-000000000000"));
    const refusedByRole = (response: { statusCode: number; body: string }) =>
      response.statusCode === 403 && response.body.includes("This is only for ");

    it("covers every API route of the app", () => {
      const api = server.routes.filter((route) => route.url.startsWith("/api/"));
      expect(api.length).toBeGreaterThan(40);
      expect(api.filter((route) => route.access === null)).toEqual([]);
      // A new route, or a route whose access changed, fails here until it is listed in `declared`
      // (and, if it reads or writes one person's work, in `perPerson`).
      const actual = Object.fromEntries(api.filter((route) => route.method !== "HEAD").map((route) => [`${route.method} ${route.url}`, route.access]));
      expect(actual).toEqual(declared);
    });

    it("checks the per-person rule of every route that takes a person's session, scorecard or work", async () => {
      const missing: string[] = [];
      for (const key of Object.keys(declared)) {
        // L&D administers everyone's accounts and teams: a route for L&D alone has no per-person rule.
        const access = declared[key];
        if (access === "public" || (Array.isArray(access) && access.every((role) => role === "ld_admin"))) continue;
        if (!/:(sessionId|learnerId|scorecardId|teamId)\b/.test(key)) continue;
        const [method, url] = key.split(" ") as [string, string];
        const inMatrix = method === "GET" && matrix.some(([, path]) => routePattern(url).test(path(ids)));
        const elsewhere = perPerson[key];
        if (inMatrix) continue;
        if (!elsewhere || !(await readFile(path.join(testsDir, elsewhere), "utf8")).includes(url.replace(/:\w+.*$/, ""))) missing.push(key);
      }
      expect(missing).toEqual([]);
    });

    it("answers every route as its access says, for every role", async () => {
      const problems: string[] = [];
      for (const route of server.routes.filter((each) => each.url.startsWith("/api/") && !each.websocket && each.access !== "public")) {
        const url = fill(route.url);
        for (const who of Object.keys(roleOf).concat("anonymous") as Who[]) {
          const allowed = who !== "anonymous" && (route.access === "signed-in" || (route.access as string[]).includes(roleOf[who as Exclude<Who, "anonymous">]));
          if (allowed && route.method !== "GET") continue;
          const cookie = cookies.get(who);
          const response = await server.app.inject({ method: route.method as "GET", url, headers: cookie ? { cookie } : {}, payload: route.method === "GET" ? undefined : {} });
          const ok = who === "anonymous" ? response.statusCode === 401 : allowed ? response.statusCode !== 401 && !refusedByRole(response) : refusedByRole(response);
          if (!ok) problems.push(`${route.method} ${route.url} as ${who}: ${response.statusCode}`);
        }
      }
      expect(problems).toEqual([]);
    });
  });

  it("writes refused the same way: only a person's own manager may assign, record, observe or comment (and L&D adjudicate)", async () => {
    const post = (who: Who, url: string, payload: object) =>
      server.app.inject({ method: "POST", url, payload, headers: cookies.get(who) ? { cookie: cookies.get(who) as string } : {} });
    const oneToOne = { heldOn: "2026-11-20", durationMinutes: 20, keyPoints: ["x"] };
    const observation = { competency: "objection-handling", level: 2, note: "x", observedOn: "2026-11-20" };
    const assignment = { scenarioId: "price-objection", learnerIds: [ids.tomas] };
    for (const who of ["tomas", "sam", "jordan", "alex"] as const) {
      expect((await post(who, `/api/people/${ids.tomas}/one-to-ones`, oneToOne)).statusCode, who).toBe(403);
      expect((await post(who, `/api/people/${ids.tomas}/observations`, observation)).statusCode, who).toBe(403);
      expect((await post(who, "/api/assignments", assignment)).statusCode, who).toBe(403);
    }
    const criterionId = (await server.database.prisma.criterionScore.findFirstOrThrow({ where: { scorecardId: ids.scorecard } })).criterionId;
    const override = { level: 1, reason: "Adjudicated" };
    for (const who of ["tomas", "sam", "jordan"] as const) {
      expect((await post(who, `/api/scorecards/${ids.scorecard}/criteria/${criterionId}/override`, override)).statusCode, who).toBe(403);
    }
    for (const who of ["tomas", "sam", "jordan", "alex"] as const) {
      expect((await post(who, `/api/practice-sessions/${ids.session}/turns/1/comments`, { body: "A comment" })).statusCode, who).toBe(403);
    }
    expect((await post("priya", `/api/practice-sessions/${ids.session}/turns/1/comments`, { body: "A comment" })).statusCode).toBe(201);
    expect((await post("priya", `/api/people/${ids.tomas}/one-to-ones`, oneToOne)).statusCode).toBe(201);
    expect((await post("priya", `/api/people/${ids.tomas}/observations`, observation)).statusCode).toBe(201);
    expect((await post("priya", "/api/assignments", assignment)).statusCode).toBe(201);
  });
});
