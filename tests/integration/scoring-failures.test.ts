// Scoring never fails silently: while the judge is down the learner hears when Spar will try
// again, a judge that stays down past the retry window ends in `score-failed` with final: true,
// and the learner may then ask for a score again (only then), after which the scorecard arrives.
import { offlineScorer, type TranscriptScorer } from "@spar/domain";
import { demoSignIn, startTestApp } from "@spar/server/testing";
import { afterEach, describe, expect, it } from "vitest";
import { PracticeClient } from "../fixtures/practice-client.ts";

/** A judge that is down until told otherwise, counting the calls it refused. */
function flakyJudge() {
  const judge = {
    down: true,
    refused: 0,
    scorer: {
      kind: "offline",
      model: null,
      score: async (...args) => {
        if (!judge.down) return offlineScorer.score(...args);
        judge.refused += 1;
        return { ok: false, code: "unavailable", message: "HTTP 503 from the judge model", retryable: true };
      },
    } satisfies TranscriptScorer,
  };
  return judge;
}

async function practiseAndEnd(client: PracticeClient) {
  client.send({ type: "session-start", scenarioId: "missed-deadline" });
  const { session } = await client.next("session-ready");
  await client.say(session.id, "Thanks for making time. How are things going on the Marlowe work from where you sit?");
  await client.say(session.id, "That sounds hard. What got in the way last week?");
  client.send({ type: "session-end", sessionId: session.id });
  await client.next("session-ended");
  return session.id;
}

describe("scoring failures reach the learner (PGlite)", () => {
  let server: Awaited<ReturnType<typeof startTestApp>> | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it("says when scoring will try again while the judge is down, then delivers the scorecard", async () => {
    const judge = flakyJudge();
    server = await startTestApp("pglite", { scorer: judge.scorer, socket: { messagesPerSecond: 100, messageBurst: 100 } });
    const baseUrl = await server.app.listen({ port: 0, host: "127.0.0.1" });
    const client = await PracticeClient.connect(baseUrl, await demoSignIn(server.app, "tomas.ortega@demo.example"));
    const sessionId = await practiseAndEnd(client);

    const failed = await client.next("score-failed", () => true, 20_000, 0);
    expect(failed).toMatchObject({ sessionId, final: false, message: expect.stringContaining("could not be scored yet") });
    expect(Date.parse(failed.nextAttemptAt ?? "")).toBeGreaterThan(Date.now() - 1_000);
    expect(failed.message).not.toContain("503");

    judge.down = false;
    const ready = await client.next("score-ready", () => true, 30_000);
    expect(ready.sessionId).toBe(sessionId);
    client.close();
  });

  it("gives up after the retry window with a final score-failed; the learner may then ask again, and only then", async () => {
    const judge = flakyJudge();
    server = await startTestApp("pglite", {
      scorer: judge.scorer,
      socket: { messagesPerSecond: 100, messageBurst: 100 },
      environment: { SPAR_SCORING_RETRY_MINUTES: "0" },
    });
    const app = server.app;
    const baseUrl = await app.listen({ port: 0, host: "127.0.0.1" });
    const cookie = await demoSignIn(app, "tomas.ortega@demo.example");
    const client = await PracticeClient.connect(baseUrl, cookie);
    const sessionId = await practiseAndEnd(client);

    const failed = await client.next("score-failed", () => true, 20_000, 0);
    expect(failed).toMatchObject({ sessionId, final: true, nextAttemptAt: null });
    expect(judge.refused).toBe(1);

    const rescore = (who: string) =>
      app.inject({ method: "POST", url: `/api/practice-sessions/${sessionId}/rescore`, headers: { cookie: who }, payload: {} });
    // Someone else's learner, and a manager of another team, may not: to them the session does not exist.
    expect((await rescore(await demoSignIn(app, "sam.whitaker@demo.example"))).statusCode).toBe(404);
    expect((await rescore(await demoSignIn(app, "jordan.reyes@demo.example"))).statusCode).toBe(404);

    judge.down = false;
    expect((await rescore(cookie)).statusCode).toBe(202);
    const since = client.mark;
    client.send({ type: "session-resume", sessionId, lastSeq: 5 });
    const ready = await client.next("score-ready", () => true, 30_000, since);
    expect(ready.sessionId).toBe(sessionId);

    // Scored now: the learner cannot re-roll it.
    const again = await rescore(cookie);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: { message: "You can ask for a score again only when scoring your conversation has failed." } });
    client.close();
  });
});
