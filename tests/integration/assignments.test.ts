// Managers assign practice to their people; learners see it, and practising completes it.
import { ErrorBody, MyAssignment, TeamAssignment } from "@spar/protocol";
import { demoSignIn, ManualClock, startTestApp } from "@spar/server/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { PracticeClient } from "../fixtures/practice-client.ts";

const Mine = z.object({ assignments: z.array(MyAssignment) });
const Created = z.object({ assignment: TeamAssignment });

describe("assigning practice (PGlite)", () => {
  const clock = new ManualClock(new Date());
  let server: Awaited<ReturnType<typeof startTestApp>>;
  let baseUrl: string;
  const cookies: Record<string, string> = {};
  let salesTeam: string;

  const signInEveryone = async () => {
    for (const [name, email] of Object.entries({ priya: "priya.natarajan@demo.example", jordan: "jordan.reyes@demo.example", sam: "sam.whitaker@demo.example", lena: "lena.fischer@demo.example" })) {
      cookies[name] = await demoSignIn(server.app, email);
    }
  };

  beforeAll(async () => {
    server = await startTestApp("pglite", { clock, socket: { messagesPerSecond: 200, messageBurst: 200 } });
    baseUrl = await server.app.listen({ port: 0, host: "127.0.0.1" });
    await signInEveryone();
    salesTeam = (await server.database.prisma.team.findUniqueOrThrow({ where: { name: "Mid-Market Sales" } })).id;
  });
  afterAll(() => server?.close());

  const call = (who: string, method: "GET" | "POST", url: string, payload?: object) =>
    server.app.inject({ method, url, headers: { cookie: cookies[who] as string }, ...(payload ? { payload } : {}) });

  it("lets a manager assign a scenario to their whole team with a due date", async () => {
    const dueAt = new Date(clock.now().getTime() + 3 * 86_400_000).toISOString();
    const response = await call("priya", "POST", "/api/assignments", { scenarioId: "price-objection", teamId: salesTeam, dueAt, note: "Before the Q3 pricing review" });
    expect(response.statusCode).toBe(201);
    const { assignment } = Created.parse(response.json());
    expect(assignment.people.map((person) => person.name)).toEqual(["Aisha Bello", "Lena Fischer", "Oliver Brandt", "Sam Whitaker", "Tomás Ortega", "Yusuf Demir"]);
    expect(assignment.people.every((person) => person.status === "open" && !person.overdue)).toBe(true);

    const mine = Mine.parse((await call("sam", "GET", "/api/assignments/mine")).json());
    expect(mine.assignments).toEqual([
      expect.objectContaining({ scenario: { id: "price-objection", title: "The 30% gap: a late-stage price objection" }, assignedBy: "Priya Natarajan", status: "open", overdue: false }),
    ]);
  });

  it("completes the assignment when the learner practises it", async () => {
    const client = await PracticeClient.connect(baseUrl, cookies.sam as string);
    client.send({ type: "session-start", scenarioId: "price-objection" });
    const { session } = await client.next("session-ready");
    await client.say(session.id, "Help me understand how you're comparing the two offers.");
    client.send({ type: "session-end", sessionId: session.id });
    await client.next("session-ended");
    client.close();
    const mine = Mine.parse((await call("sam", "GET", "/api/assignments/mine")).json());
    expect(mine.assignments[0]).toMatchObject({ status: "completed", overdue: false });
    const team = z.object({ assignments: z.array(TeamAssignment) }).parse((await call("priya", "GET", `/api/teams/${salesTeam}/assignments`)).json());
    const people = team.assignments[0]?.people ?? [];
    expect(people.find((person) => person.name === "Sam Whitaker")?.status).toBe("completed");
    expect(people.find((person) => person.name === "Lena Fischer")?.status).toBe("open");
  });

  it("shows overdue work to both the learner and the manager", async () => {
    clock.advance(4 * 86_400_000);
    await signInEveryone(); // four days on, yesterday's sign-ins have expired
    const lena = Mine.parse((await call("lena", "GET", "/api/assignments/mine")).json());
    expect(lena.assignments[0]).toMatchObject({ status: "open", overdue: true });
    const team = z.object({ assignments: z.array(TeamAssignment) }).parse((await call("priya", "GET", `/api/teams/${salesTeam}/assignments`)).json());
    const people = team.assignments[0]?.people ?? [];
    expect(people.find((person) => person.name === "Lena Fischer")?.overdue).toBe(true);
    expect(people.find((person) => person.name === "Sam Whitaker")?.overdue).toBe(false);
  });

  it("refuses a due date that has already passed, saying so at the field", async () => {
    const yesterday = new Date(clock.now().getTime() - 86_400_000).toISOString();
    const response = await call("priya", "POST", "/api/assignments", { scenarioId: "price-objection", teamId: salesTeam, dueAt: yesterday });
    expect(response.statusCode).toBe(400);
    const { error } = ErrorBody.parse(response.json());
    expect(error.message).toBe("That due date has passed. Pick today or a later day.");
    expect(error.issues).toEqual([{ path: "dueAt", message: error.message }]);
    const team = z.object({ assignments: z.array(TeamAssignment) }).parse((await call("priya", "GET", `/api/teams/${salesTeam}/assignments`)).json());
    expect(team.assignments).toHaveLength(1);
  });

  it("refuses assignments outside the manager's teams, from learners, and to unknown scenarios", async () => {
    const kenji = await server.database.prisma.user.findUniqueOrThrow({ where: { email: "kenji.watanabe@demo.example" } });
    const outside = await call("priya", "POST", "/api/assignments", { scenarioId: "price-objection", learnerIds: [kenji.id] });
    expect(outside.statusCode).toBe(403);
    expect((await call("jordan", "POST", "/api/assignments", { scenarioId: "price-objection", teamId: salesTeam })).statusCode).toBe(403);
    expect((await call("jordan", "GET", `/api/teams/${salesTeam}/assignments`)).statusCode).toBe(403);
    expect((await call("sam", "POST", "/api/assignments", { scenarioId: "price-objection", teamId: salesTeam })).statusCode).toBe(403);
    const unknown = await call("priya", "POST", "/api/assignments", { scenarioId: "no-such", teamId: salesTeam });
    expect(ErrorBody.parse(unknown.json()).error.message).toContain("no-such");
    const both = await call("priya", "POST", "/api/assignments", { scenarioId: "price-objection" });
    expect(ErrorBody.parse(both.json()).error.code).toBe("VALIDATION_FAILED");
  });
});
