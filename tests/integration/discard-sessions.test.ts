// A learner's conversations in progress, listed over HTTP, and discarded: set aside unscored,
// pushed to the socket following it, never an assessment, never someone else's, and decided by
// the statement that ends the session when a discard races an ending.
import { databaseKinds } from "@spar/db/testing";
import { OpenSessionView } from "@spar/protocol";
import { demoSignIn, startTestApp } from "@spar/server/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { PracticeClient } from "../fixtures/practice-client.ts";

const OpenSessions = z.object({ sessions: z.array(OpenSessionView) });

describe.each(databaseKinds)("discarding a conversation in progress (%s)", (kind) => {
  let server: Awaited<ReturnType<typeof startTestApp>>;
  let baseUrl: string;
  let learner: string;
  let other: string;

  beforeAll(async () => {
    server = await startTestApp(kind, { socket: { messagesPerSecond: 200, messageBurst: 200 }, environment: { SPAR_MAX_OPEN_SESSIONS: "20" } });
    baseUrl = await server.app.listen({ port: 0, host: "127.0.0.1" });
    learner = await demoSignIn(server.app, "grace.oneill@demo.example");
    other = await demoSignIn(server.app, "kenji.watanabe@demo.example");
  });
  afterAll(async () => {
    await server?.close();
  });

  const open = async (cookie: string) =>
    OpenSessions.parse((await server.app.inject({ method: "GET", url: "/api/practice-sessions/open", headers: { cookie } })).json()).sessions;
  const discard = (sessionId: string, cookie = learner) =>
    server.app.inject({ method: "POST", url: `/api/practice-sessions/${sessionId}/discard`, headers: { cookie }, payload: {} });

  async function started(client: PracticeClient, scenarioId: string): Promise<string> {
    client.send({ type: "session-start", scenarioId });
    return (await client.next("session-ready")).session.id;
  }

  it("lists the learner's open conversations, and sets one aside unscored, telling the socket that follows it", async () => {
    const client = await PracticeClient.connect(baseUrl, learner);
    const sessionId = await started(client, "frustrated-customer");
    await client.say(sessionId, "I'm sorry this has happened again. What did you see this time?");
    await client.say(sessionId, "What would a good outcome look like for you?");
    const listed = (await open(learner)).find((each) => each.sessionId === sessionId);
    expect(listed).toMatchObject({ scenarioId: "frustrated-customer", learnerTurns: 2, assessment: false });
    expect((await open(other)).some((each) => each.sessionId === sessionId)).toBe(false);

    const response = await discard(sessionId);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ discarded: true });
    expect((await client.next("session-ended", (message) => message.sessionId === sessionId, 10_000, 0)).reason).toBe("discarded");
    expect(await client.next("score-skipped", (message) => message.sessionId === sessionId, 10_000, 0)).toMatchObject({ reason: "discarded", message: expect.stringMatching(/^Not scored/) });
    expect((await open(learner)).some((each) => each.sessionId === sessionId)).toBe(false);

    // Never queued for scoring, however long one waits: its status says so, and no scorecard exists.
    const stored = await server.database.prisma.practiceSession.findUniqueOrThrow({ where: { id: sessionId }, include: { scorecards: true } });
    expect(stored).toMatchObject({ status: "ended", endReason: "discarded", scoringStatus: "discarded", scorecards: [] });
    // A learner cannot get it scored after all.
    const rescore = await server.app.inject({ method: "POST", url: `/api/practice-sessions/${sessionId}/rescore`, headers: { cookie: learner }, payload: {} });
    expect(rescore.statusCode).toBeGreaterThanOrEqual(400);
    client.close();
  });

  it("refuses an assessment, someone else's session, one already ended, and an id that is not one", async () => {
    const client = await PracticeClient.connect(baseUrl, learner);
    const assessment = await started(client, "redirecting-feedback");
    expect((await open(learner)).find((each) => each.sessionId === assessment)?.assessment).toBe(true);
    const refused = await discard(assessment);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toMatch(/assessment: it cannot be discarded/);

    const practice = await started(client, "missed-deadline");
    expect((await discard(practice, other)).statusCode).toBe(404);
    client.send({ type: "session-end", sessionId: practice });
    await client.next("session-ended", (message) => message.sessionId === practice);
    const ended = await discard(practice);
    expect(ended.statusCode).toBe(409);
    expect(ended.json().error.message).toMatch(/already ended/);
    expect((await discard("not-a-session")).statusCode).toBe(400);
    expect((await server.database.prisma.practiceSession.findUniqueOrThrow({ where: { id: practice } })).endReason).toBe("learner-ended");
    client.close();
  });

  it("ends a session once when a discard races the learner's own ending", async () => {
    for (let round = 0; round < 5; round++) {
      const client = await PracticeClient.connect(baseUrl, learner);
      const sessionId = await started(client, "price-objection");
      await client.say(sessionId, "Thanks for taking the call. What is behind the price concern?");
      const [discarded, ended] = await Promise.all([discard(sessionId), server.practice.end((await server.database.prisma.practiceSession.findUniqueOrThrow({ where: { id: sessionId } })).learnerId, sessionId)]);
      const row = await server.database.prisma.practiceSession.findUniqueOrThrow({ where: { id: sessionId } });
      const endedByLearner = ended.ok && ended.ended;
      // Exactly one of them ended it, and the row says which.
      expect([discarded.statusCode === 200, endedByLearner].filter(Boolean)).toHaveLength(1);
      expect(row.endReason).toBe(endedByLearner ? "learner-ended" : "discarded");
      expect(row.scoringStatus).toBe(endedByLearner ? "too_short" : "discarded");
      client.close();
    }
  });
});
