// Every role against every kind of resource, on the API (not just in the UI): a learner sees only
// their own work, a manager only their own team's, L&D aggregates and the library, never a
// transcript. Run on the demo organisation with its practice history.
import { demoSignIn, startTestApp } from "@spar/server/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

type Who = "tomas" | "sam" | "priya" | "jordan" | "alex" | "anonymous";

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
    ids.session = (await prisma.practiceSession.findFirstOrThrow({ where: { learnerId: ids.tomas } })).id;
  }, 120_000);
  afterAll(() => server?.close());

  // 2xx = allowed; 401 = sign in first; 403 = refused.
  const matrix: [string, (ids: Record<string, string>) => string, Record<Who, number>][] = [
    ["own practice session", (ids) => `/api/practice-sessions/${ids.session}`, { tomas: 200, sam: 403, priya: 200, jordan: 403, alex: 403, anonymous: 401 }],
    ["its scorecards", (ids) => `/api/practice-sessions/${ids.session}/scorecards`, { tomas: 200, sam: 403, priya: 200, jordan: 403, alex: 403, anonymous: 401 }],
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
    ["the scenario library", () => "/api/scenarios", { tomas: 200, sam: 200, priya: 200, jordan: 200, alex: 200, anonymous: 401 }],
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

  it("writes refused the same way: only a person's own manager may assign, record or observe", async () => {
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
    expect((await post("priya", `/api/people/${ids.tomas}/one-to-ones`, oneToOne)).statusCode).toBe(201);
    expect((await post("priya", `/api/people/${ids.tomas}/observations`, observation)).statusCode).toBe(201);
    expect((await post("priya", "/api/assignments", assignment)).statusCode).toBe(201);
  });
});
