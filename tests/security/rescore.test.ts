// Who may rescore: the person's manager any ended session, the person only one whose scoring gave
// up, L&D only a whole rubric from the programme. Anyone else gets the answer an unknown session
// gets, so a session id tells them nothing.
import { randomUUID } from "node:crypto";
import { databaseKinds } from "@spar/db/testing";
import { demoSignIn, startTestApp } from "@spar/server/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PracticeClient } from "../fixtures/practice-client.ts";

describe.each(databaseKinds)("rescoring (%s)", (kind) => {
  let server: Awaited<ReturnType<typeof startTestApp>>;
  let sessionId: string;
  const cookies: Record<string, string> = {};

  beforeAll(async () => {
    server = await startTestApp(kind, { socket: { messagesPerSecond: 200, messageBurst: 200 } });
    const baseUrl = await server.app.listen({ port: 0, host: "127.0.0.1" });
    for (const name of ["alex.morgan", "jordan.reyes", "priya.natarajan", "grace.oneill", "mateo.rossi"]) {
      cookies[name] = await demoSignIn(server.app, `${name}@demo.example`);
    }
    // Grace (Customer Success, managed by Jordan) practises and is scored.
    const client = await PracticeClient.connect(baseUrl, cookies["grace.oneill"] as string);
    client.send({ type: "session-start", scenarioId: "redirecting-feedback" });
    sessionId = (await client.next("session-ready")).session.id;
    await client.say(sessionId, "Mateo, I'd like to talk about the review comments on Hana's pull request last Tuesday.");
    await client.say(sessionId, "How did you see that review? I'm sure I'm missing part of the picture.");
    client.send({ type: "session-end", sessionId });
    await client.next("score-ready", (message) => message.sessionId === sessionId, 20_000, 0);
    client.close();
  });
  afterAll(() => server?.close());

  const rescore = (who: string, id: string, body: object = {}) =>
    server.app.inject({ method: "POST", url: `/api/practice-sessions/${id}/rescore`, headers: { cookie: cookies[who] as string }, payload: body });
  const bulk = (who: string, body: object) =>
    server.app.inject({ method: "POST", url: "/api/programme/rescore", headers: { cookie: cookies[who] as string }, payload: body });
  const status = async () =>
    (await server.database.prisma.practiceSession.findUniqueOrThrow({ where: { id: sessionId }, select: { scoringStatus: true } })).scoringStatus;
  const settle = async () => {
    for (let waited = 0; (await status()) !== "done"; waited++) {
      if (waited > 200) throw new Error(`session still ${await status()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  it("answers L&D, another manager and another learner as if the session did not exist", async () => {
    const unknown = await rescore("alex.morgan", randomUUID());
    expect(unknown.statusCode).toBe(404);
    for (const who of ["alex.morgan", "priya.natarajan", "mateo.rossi"]) {
      const answer = await rescore(who, sessionId);
      expect(answer.statusCode, who).toBe(404);
      const { code, message } = answer.json().error;
      expect({ code, message }, who).toEqual({ code: unknown.json().error.code, message: unknown.json().error.message });
    }
    expect(await status()).toBe("done");
  });

  it("lets the person's manager rescore, and the person only when scoring gave up", async () => {
    const own = await rescore("grace.oneill", sessionId);
    expect(own.statusCode).toBe(409);
    expect((await rescore("grace.oneill", sessionId, { rubric: "latest" })).statusCode).toBe(403);
    const manager = await rescore("jordan.reyes", sessionId, { rubric: "latest" });
    expect(manager.statusCode, manager.body).toBe(202);
    await settle();
  });

  it("lets only L&D rescore a whole rubric from the programme, on the record", async () => {
    const rubricId = server.library.library.scenarios.get("redirecting-feedback")?.value.rubric as string;
    expect(rubricId).toBeTruthy();
    expect((await bulk("jordan.reyes", { rubricId })).statusCode).toBe(403);
    expect((await bulk("grace.oneill", { rubricId })).statusCode).toBe(403);
    expect((await bulk("alex.morgan", { rubricId: "no-such-rubric" })).statusCode).toBe(404);
    const queued = await bulk("alex.morgan", { rubricId });
    expect(queued.statusCode, queued.body).toBe(202);
    expect(queued.json().queued).toBeGreaterThanOrEqual(1);
    await settle();
    const record = await server.database.prisma.auditEntry.findFirst({ where: { action: "rubric.rescore" }, orderBy: { at: "desc" } });
    expect(record).toMatchObject({ resourceId: rubricId, subjectUserId: null });
  });
});
