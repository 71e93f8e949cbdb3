// Every role against every kind of resource, over real HTTP against a listening server, on
// both databases Spar supports.
import { randomUUID } from "node:crypto";
import { databaseKinds } from "@spar/db/testing";
import { ErrorBody, PracticeSessionView, TeamSummary } from "@spar/protocol";
import { startTestApp } from "@spar/server/testing";
import { z } from "zod";
import { signInOverHttp } from "../fixtures/processes.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const Teams = z.object({ teams: z.array(TeamSummary) });
type TestApp = Awaited<ReturnType<typeof startTestApp>>;

describe.each(databaseKinds)("role boundaries over HTTP on %s", (kind) => {
  let server: TestApp;
  let baseUrl: string;
  const cookies = new Map<string, string>();
  let salesLearnerSession: string;
  let salesLearnerId: string;

  const get = (path: string, as?: string) =>
    fetch(`${baseUrl}${path}`, { headers: as ? { cookie: cookies.get(as) as string } : {} });

  beforeAll(async () => {
    server = await startTestApp(kind);
    baseUrl = await server.app.listen({ port: 0, host: "127.0.0.1" });
    expect((await fetch(`${baseUrl}/api/setup/demo`, { method: "POST" })).status).toBe(201);
    for (const email of [
      "sam.whitaker@demo.example", // learner, Mid-Market Sales
      "lena.fischer@demo.example", // learner, Mid-Market Sales
      "kenji.watanabe@demo.example", // learner, Customer Success
      "priya.natarajan@demo.example", // manager, Mid-Market Sales
      "jordan.reyes@demo.example", // manager, Customer Success
      "alex.morgan@demo.example", // L&D admin
    ]) {
      cookies.set(email.split(".")[0] as string, await signInOverHttp(baseUrl, email));
    }
    const prisma = server.database.prisma;
    const learner = await prisma.user.findUniqueOrThrow({ where: { email: "sam.whitaker@demo.example" } });
    salesLearnerId = learner.id;
    const scenario = await prisma.scenarioVersion.create({
      data: { scenarioId: "price-objection", version: 1, contentHash: randomUUID(), title: "Price objection", family: "sales-call", rubricId: "objection-handling", source: "id: price-objection", sourcePath: "scenarios/price-objection" },
    });
    const rubric = await prisma.rubricVersion.create({
      data: { rubricId: "objection-handling", version: 1, contentHash: randomUUID(), title: "Objection handling", competency: "objection-handling", source: "id: objection-handling", sourcePath: "scenarios/rubrics" },
    });
    const session = await prisma.practiceSession.create({
      data: {
        learnerId: learner.id, scenarioVersionId: scenario.id, rubricVersionId: rubric.id, engine: "offline",
        turns: { create: [{ seq: 1, speaker: "persona", text: "You're 30% more expensive." }] },
      },
    });
    salesLearnerSession = session.id;
  });
  afterAll(() => server?.close());

  const transcriptReads = () =>
    server.database.prisma.auditEntry.findMany({ where: { action: "transcript.read", resourceId: salesLearnerSession } });

  it("lets the learner read their own session, without an audit entry", async () => {
    const response = await get(`/api/practice-sessions/${salesLearnerSession}`, "sam");
    expect(response.status).toBe(200);
    const body = z.object({ session: PracticeSessionView }).parse(await response.json());
    expect(body.session.turns[0]?.text).toBe("You're 30% more expensive.");
    expect(await transcriptReads()).toHaveLength(0);
  });

  it("refuses another learner, even on the same team", async () => {
    for (const learner of ["lena", "kenji"]) {
      const response = await get(`/api/practice-sessions/${salesLearnerSession}`, learner);
      expect(response.status).toBe(403);
      expect(ErrorBody.parse(await response.json()).error.code).toBe("FORBIDDEN");
    }
  });

  it("lets the learner's own manager read it, and writes the read to the audit log", async () => {
    const response = await get(`/api/practice-sessions/${salesLearnerSession}`, "priya");
    expect(response.status).toBe(200);
    const reads = await transcriptReads();
    expect(reads).toHaveLength(1);
    expect(reads[0]).toMatchObject({ subjectUserId: salesLearnerId, resourceType: "practice-session" });
  });

  it("refuses the manager of another team and the L&D admin", async () => {
    expect((await get(`/api/practice-sessions/${salesLearnerSession}`, "jordan")).status).toBe(403);
    expect((await get(`/api/practice-sessions/${salesLearnerSession}`, "alex")).status).toBe(403);
    expect(await transcriptReads()).toHaveLength(1);
  });

  it("asks an anonymous caller to sign in, and answers an unknown session with 404", async () => {
    const anonymous = await get(`/api/practice-sessions/${salesLearnerSession}`);
    expect(anonymous.status).toBe(401);
    expect(ErrorBody.parse(await anonymous.json()).error.code).toBe("UNAUTHENTICATED");
    expect((await get(`/api/practice-sessions/${randomUUID()}`, "priya")).status).toBe(404);
    expect((await get(`/api/practice-sessions/not-a-uuid`, "priya")).status).toBe(400);
  });

  it("shows teams to managers (their own only) and L&D admins (all), never to learners", async () => {
    expect((await get("/api/teams", "sam")).status).toBe(403);
    const teamsOf = async (who: string) =>
      Teams.parse(await (await get("/api/teams", who)).json()).teams.map((team) => team.name);
    expect(await teamsOf("priya")).toEqual(["Mid-Market Sales"]);
    expect(await teamsOf("alex")).toEqual(["Customer Success", "Mid-Market Sales"]);
  });
});
