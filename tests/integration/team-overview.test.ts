import { locateQuote } from "@spar/domain";
// The demo organisation's practice history, and the team overview a manager reads before the
// one-to-ones: every number is recomputed here from the stored sessions and scorecards.
import { ErrorBody, PersonBriefView, ProgrammeView, TeamOverview } from "@spar/protocol";
import { demoSignIn, startTestApp } from "@spar/server/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

type TestApp = Awaited<ReturnType<typeof startTestApp>>;

describe("the demo history and the team overview (PGlite)", () => {
  let server: TestApp;
  const cookies: Record<string, string> = {};

  beforeAll(async () => {
    server = await startTestApp("pglite", { environment: { SPAR_DEMO_HISTORY: "on" } });
    for (const [name, email] of Object.entries({ priya: "priya.natarajan@demo.example", jordan: "jordan.reyes@demo.example", alex: "alex.morgan@demo.example", sam: "sam.whitaker@demo.example" })) {
      cookies[name] = await demoSignIn(server.app, email);
    }
  }, 120_000);
  afterAll(() => server?.close());

  const overview = async (who: string, query = "") => {
    const team = await server.database.prisma.team.findUniqueOrThrow({ where: { name: "Mid-Market Sales" } });
    return server.app.inject({ method: "GET", url: `/api/teams/${team.id}/overview${query}`, headers: { cookie: cookies[who] as string } });
  };

  it("seeds weeks of scored practice for every learner", async () => {
    const sessions = await server.database.prisma.practiceSession.findMany({ include: { scorecards: true } });
    expect(sessions.length).toBeGreaterThanOrEqual(40);
    expect(sessions.every((session) => session.status === "ended" && session.scorecards.length === 1)).toBe(true);
    const days = sessions.map((session) => session.startedAt.getTime());
    expect((Math.max(...days) - Math.min(...days)) / 86_400_000).toBeGreaterThan(28);
  });

  it("gives the demo a person in every state a brief can show, and personas no learner shares a name with", async () => {
    const body = TeamOverview.parse((await overview("priya")).json());
    const member = (name: string) => body.members.find((each) => each.name === name);
    expect(member("Tomás Ortega")?.stuck).toEqual(["objection-handling"]);
    expect(member("Sam Whitaker")?.overall?.change).toBeGreaterThan(0.5);
    expect(member("Oliver Brandt")).toMatchObject({ sessions: 0, lastPracticedAt: null });
    const yusuf = member("Yusuf Demir");
    const brief = PersonBriefView.parse((await server.app.inject({ method: "GET", url: `/api/people/${yusuf?.id}/brief`, headers: { cookie: cookies.priya as string } })).json());
    expect(brief.openAssignments).toEqual([expect.objectContaining({ overdue: true })]);
    for (const team of await server.database.prisma.team.findMany({ include: { members: true } })) {
      expect(team.members.filter((each) => each.role === "member").length, team.name).toBeGreaterThanOrEqual(6);
    }

    const firstNames = (names: string[]) => new Set(names.map((name) => name.split(" ")[0]));
    const people = firstNames((await server.database.prisma.user.findMany()).map((user) => user.name));
    const personas = firstNames([...server.library.library.scenarios.values()].map((entry) => entry.value.persona.name));
    expect([...personas].filter((name) => people.has(name))).toEqual([]);
    expect(personas.size).toBe(server.library.library.scenarios.size);
  });

  it("gives the team's manager each member's volume, trend, gap map and stuck flags, matching the sessions", async () => {
    const response = await overview("priya");
    expect(response.statusCode).toBe(200);
    const body = TeamOverview.parse(response.json());
    expect(body.members.map((member) => member.name).sort()).toEqual(["Aisha Bello", "Lena Fischer", "Oliver Brandt", "Sam Whitaker", "Tomás Ortega", "Yusuf Demir"]);

    for (const member of body.members) {
      const sessions = await server.database.prisma.practiceSession.findMany({
        where: { learnerId: member.id },
        orderBy: { startedAt: "asc" },
        include: { scorecards: { include: { criteria: true } } },
      });
      expect(member.sessions).toBe(sessions.length);
      expect(member.lastPracticedAt).toBe(sessions.at(-1)?.startedAt.toISOString() ?? null);
      expect(member.overall?.first).toBe(sessions[0]?.scorecards[0]?.overall);
      expect(member.overall?.last).toBe(sessions.at(-1)?.scorecards[0]?.overall);
      for (const [competency, cell] of Object.entries(member.heat)) {
        const levels = sessions
          .map((session) => session.scorecards[0]?.criteria.filter((criterion) => criterion.competency === competency).map((criterion) => criterion.level) ?? [])
          .filter((each) => each.length > 0)
          .map((each) => each.reduce((sum, level) => sum + level, 0) / each.length);
        if (levels.length === 0) {
          expect(cell).toBeNull();
          continue;
        }
        const recent = levels.slice(-3);
        expect(cell?.attempts).toBe(levels.length);
        expect(cell?.level).toBeCloseTo(recent.reduce((sum, level) => sum + level, 0) / recent.length, 1);
      }
    }
    const tomas = body.members.find((member) => member.name === "Tomás Ortega");
    expect(tomas?.stuck).toEqual(["objection-handling"]);
    const sam = body.members.find((member) => member.name === "Sam Whitaker");
    expect(sam?.overall?.change).toBeGreaterThan(0);
    expect(sam?.stuck).toEqual([]);
  });

  it("filters by date range and takes the stuck threshold as a setting", async () => {
    const recent = TeamOverview.parse((await overview("priya", `?from=${encodeURIComponent(new Date(Date.now() - 14 * 86_400_000).toISOString())}`)).json());
    const all = TeamOverview.parse((await overview("priya")).json());
    const total = (body: typeof all) => body.members.reduce((sum, member) => sum + member.sessions, 0);
    expect(total(recent)).toBeLessThan(total(all));
    const strict = TeamOverview.parse((await overview("priya", "?stuckAfter=20")).json());
    expect(strict.members.every((member) => member.stuck.length === 0)).toBe(true);
  });

  it("keeps the overview from other managers, L&D admins and learners", async () => {
    for (const who of ["jordan", "alex", "sam"]) {
      const response = await overview(who);
      expect(response.statusCode, who).toBe(403);
      expect(ErrorBody.parse(response.json()).error.code).toBe("FORBIDDEN");
    }
  });

  it("gives the one-to-one brief, every number traceable to the stored scorecards, and audits the manager's read", async () => {
    const tomas = await server.database.prisma.user.findUniqueOrThrow({ where: { email: "tomas.ortega@demo.example" } });
    const response = await server.app.inject({ method: "GET", url: `/api/people/${tomas.id}/brief`, headers: { cookie: cookies.priya as string } });
    expect(response.statusCode).toBe(200);
    const brief = PersonBriefView.parse(response.json());
    const sessions = await server.database.prisma.practiceSession.findMany({
      where: { learnerId: tomas.id },
      orderBy: { startedAt: "desc" },
      take: 10,
      include: { scorecards: { include: { criteria: true } } },
    });
    expect(brief.recentSessions).toBe(sessions.length);
    for (const criterion of brief.criteria) {
      const levels = sessions.flatMap((session) => session.scorecards[0]?.criteria.filter((each) => each.criterionId === criterion.criterionId).map((each) => each.level) ?? []);
      expect(criterion.attempts).toBe(levels.length);
      expect(criterion.meanLevel).toBeCloseTo(levels.reduce((sum, level) => sum + level, 0) / levels.length, 2);
      if (criterion.evidence) {
        const turn = await server.database.prisma.turn.findFirstOrThrow({ where: { sessionId: criterion.evidence.sessionId, seq: criterion.evidence.turn } });
        expect(locateQuote(criterion.evidence.quote, turn.text), criterion.evidence.quote).not.toBeNull();
      }
    }
    expect(brief.stuck).toEqual(["objection-handling"]);
    expect(brief.questions[0]?.competency).toBe("objection-handling");
    const audit = await server.database.prisma.auditEntry.findMany({ where: { action: "brief.read", subjectUserId: tomas.id } });
    expect(audit).toHaveLength(1);

    const sam = await server.database.prisma.user.findUniqueOrThrow({ where: { email: "sam.whitaker@demo.example" } });
    expect((await server.app.inject({ method: "GET", url: `/api/people/${sam.id}/brief`, headers: { cookie: cookies.sam as string } })).statusCode).toBe(200);
    for (const who of ["jordan", "alex"]) {
      expect((await server.app.inject({ method: "GET", url: `/api/people/${tomas.id}/brief`, headers: { cookie: cookies[who] as string } })).statusCode, who).toBe(403);
    }
  });

  it("gives L&D the programme view: aggregates only, small groups suppressed, no transcript, CSV for each table", async () => {
    const response = await server.app.inject({ method: "GET", url: "/api/programme", headers: { cookie: cookies.alex as string } });
    expect(response.statusCode).toBe(200);
    const view = ProgrammeView.parse(response.json());
    // The demo teams have six people each, five of whom practised: enough to be shown.
    expect(view.teams).toEqual([
      { suppressed: false, team: "Customer Success", people: 6, sessions: expect.any(Number), activeLearners: 5, assignmentCompletion: 0 },
      // Only one person in the team has an assignment: their completion would name them.
      { suppressed: false, team: "Mid-Market Sales", people: 6, sessions: expect.any(Number), activeLearners: 5, assignmentCompletion: "suppressed" },
    ]);
    expect(view.weakCriteria.suppressed).toBe(false);
    if (!view.weakCriteria.suppressed) {
      expect(view.weakCriteria.people).toBe(10);
      const shown = view.weakCriteria.criteria.filter((criterion) => !criterion.suppressed);
      // Five people practise sales discovery and five active listening; fewer practise the rest.
      expect(new Set(shown.map((criterion) => criterion.competency))).toEqual(new Set(["sales-discovery", "active-listening"]));
      expect(shown.every((criterion) => !criterion.suppressed && criterion.people >= view.minimumGroupSize)).toBe(true);
      expect(view.weakCriteria.criteria.filter((criterion) => criterion.suppressed).map((criterion) => criterion.competency)).toContain("difficult-conversations");
    }
    const turns = await server.database.prisma.turn.findMany({ where: { speaker: "learner" }, take: 50 });
    for (const turn of turns) expect(response.body).not.toContain(turn.text.slice(0, 40));
    for (const learner of await server.database.prisma.user.findMany({ where: { role: "learner" } })) expect(response.body).not.toContain(learner.name);

    const csv = await server.app.inject({ method: "GET", url: "/api/programme/teams.csv", headers: { cookie: cookies.alex as string } });
    expect(csv.headers["content-type"]).toContain("text/csv");
    expect(csv.body.split("\n")[0]).toBe("team,people,sessions,active_learners,assignment_completion,suppressed");
    expect(csv.body).toMatch(/^Mid-Market Sales,6,\d+,5,suppressed,no$/m);
    for (const who of ["priya", "sam"]) {
      expect((await server.app.inject({ method: "GET", url: "/api/programme", headers: { cookie: cookies[who] as string } })).statusCode).toBe(403);
      expect((await server.app.inject({ method: "GET", url: "/api/programme/teams.csv", headers: { cookie: cookies[who] as string } })).statusCode).toBe(403);
    }
  });
});
