// One-to-one records and observations: quick to write for the person's manager, readable by the
// person, closed to everyone else.
import { ErrorBody, ObservationView, OneToOneView } from "@spar/protocol";
import { demoSignIn, startTestApp } from "@spar/server/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";

describe("one-to-ones and observations (PGlite)", () => {
  let server: Awaited<ReturnType<typeof startTestApp>>;
  const cookies: Record<string, string> = {};
  let aisha: string;

  beforeAll(async () => {
    server = await startTestApp("pglite");
    for (const [name, email] of Object.entries({ priya: "priya.natarajan@demo.example", jordan: "jordan.reyes@demo.example", aisha: "aisha.bello@demo.example", sam: "sam.whitaker@demo.example", alex: "alex.morgan@demo.example" })) {
      cookies[name] = await demoSignIn(server.app, email);
    }
    aisha = (await server.database.prisma.user.findUniqueOrThrow({ where: { email: "aisha.bello@demo.example" } })).id;
  });
  afterAll(() => server?.close());

  const call = (who: string, method: "GET" | "POST", url: string, payload?: object) =>
    server.app.inject({ method, url, headers: { cookie: cookies[who] as string }, ...(payload ? { payload } : {}) });

  it("records a one-to-one with key points and an agreed action linked to an assignment", async () => {
    const created = await call("priya", "POST", "/api/assignments", { scenarioId: "renewal-at-risk", learnerIds: [aisha] });
    const assignmentId = created.json().assignment.id as string;
    const response = await call("priya", "POST", `/api/people/${aisha}/one-to-ones`, {
      heldOn: "2026-11-20",
      durationMinutes: 25,
      focusCompetency: "sales-discovery",
      keyPoints: ["Pitches before she knows the pain", "Good rapport with procurement", "Wants to own the Fernway renewal"],
      agreedActions: [{ text: "Practise the renewal call twice this week", assignmentId }, { text: "Shadow Lena on one discovery call" }],
    });
    expect(response.statusCode).toBe(201);
    const list = z.object({ oneToOnes: z.array(OneToOneView) }).parse((await call("aisha", "GET", `/api/people/${aisha}/one-to-ones`)).json());
    expect(list.oneToOnes).toHaveLength(1);
    expect(list.oneToOnes[0]).toMatchObject({ heldOn: "2026-11-20", durationMinutes: 25, focusCompetency: "sales-discovery", manager: "Priya Natarajan" });
    expect(list.oneToOnes[0]?.agreedActions).toEqual([
      { text: "Practise the renewal call twice this week", assignment: { id: assignmentId, status: "open" } },
      { text: "Shadow Lena on one discovery call", assignment: null },
    ]);
  });

  it("keeps a one-to-one short and checks what it links to", async () => {
    const tooMany = await call("priya", "POST", `/api/people/${aisha}/one-to-ones`, {
      heldOn: "2026-11-21", durationMinutes: 30, keyPoints: ["1", "2", "3", "4", "5", "6"],
    });
    expect(ErrorBody.parse(tooMany.json()).error.issues?.[0]).toMatchObject({ path: "keyPoints", message: "keep it to five key points" });
    const foreign = await call("priya", "POST", `/api/people/${aisha}/one-to-ones`, {
      heldOn: "2026-11-21", durationMinutes: 30, keyPoints: ["x"], agreedActions: [{ text: "y", assignmentId: crypto.randomUUID() }],
    });
    expect(foreign.statusCode).toBe(400);
  });

  it("records observations of real work per competency", async () => {
    const response = await call("priya", "POST", `/api/people/${aisha}/observations`, {
      competency: "sales-discovery", level: 2, note: "On the Harlow call she proposed a demo before asking about their audit.", observedOn: "2026-11-19",
    });
    expect(response.statusCode).toBe(201);
    const list = z.object({ observations: z.array(ObservationView) }).parse((await call("aisha", "GET", `/api/people/${aisha}/observations`)).json());
    expect(list.observations[0]).toMatchObject({ competency: "sales-discovery", level: 2, observer: "Priya Natarajan", observedOn: "2026-11-19" });
  });

  it("closes both to other managers, other learners and L&D, and writing to the person themselves", async () => {
    for (const who of ["jordan", "sam", "alex"]) {
      expect((await call(who, "GET", `/api/people/${aisha}/one-to-ones`)).statusCode, who).toBe(403);
      expect((await call(who, "GET", `/api/people/${aisha}/observations`)).statusCode, who).toBe(403);
    }
    expect((await call("jordan", "POST", `/api/people/${aisha}/observations`, { competency: "x", level: 1, note: "n", observedOn: "2026-11-19" })).statusCode).toBe(403);
    expect((await call("aisha", "POST", `/api/people/${aisha}/one-to-ones`, { heldOn: "2026-11-21", durationMinutes: 30, keyPoints: ["x"] })).statusCode).toBe(403);
  });
});
