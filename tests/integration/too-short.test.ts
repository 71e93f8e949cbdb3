// A conversation of fewer than two learner turns is "Not scored: too short": over the real
// socket it gets `score-skipped`, makes no scorecard, shows in history, and is no attempt at an
// assessment, so a learner who ended one early can still start the assessment.
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { databaseKinds } from "@spar/db/testing";
import { LearnerHistory } from "@spar/protocol";
import { demoSignIn, startTestApp } from "@spar/server/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repositoryRoot } from "../../packages/domain/test/library/read-files.ts";
import { PracticeClient } from "../fixtures/practice-client.ts";

const assessment = "redirecting-feedback";

describe.each(databaseKinds)("sessions too short to score (%s)", (kind) => {
  let server: Awaited<ReturnType<typeof startTestApp>>;
  let baseUrl: string;
  let dir: string;
  let cookie: string;
  let client: PracticeClient;

  beforeAll(async () => {
    // The shipped assessment allows three attempts; one makes an attempt that counts visible at once.
    dir = await mkdtemp(path.join(os.tmpdir(), "spar-too-short-"));
    await cp(path.join(repositoryRoot, "scenarios"), dir, { recursive: true });
    const file = path.join(dir, assessment, `${assessment}.scenario.yaml`);
    const source = await readFile(file, "utf8");
    expect(source).toContain("max_attempts: 3");
    await writeFile(file, source.replace("max_attempts: 3", "max_attempts: 1"));
    server = await startTestApp(kind, { socket: { messagesPerSecond: 200, messageBurst: 200 }, environment: { SPAR_LIBRARY_DIR: dir } });
    baseUrl = await server.app.listen({ port: 0, host: "127.0.0.1" });
    cookie = await demoSignIn(server.app, "grace.oneill@demo.example");
    client = await PracticeClient.connect(baseUrl, cookie);
  });
  afterAll(async () => {
    client?.close();
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function start(): Promise<string> {
    const since = client.mark;
    client.send({ type: "session-start", scenarioId: assessment });
    const ready = await client.next("session-ready", () => true, 10_000, since);
    return ready.session.id;
  }

  async function end(sessionId: string): Promise<number> {
    const since = client.mark;
    client.send({ type: "session-end", sessionId });
    await client.next("session-ended", (message) => message.sessionId === sessionId, 10_000, since);
    return since;
  }

  const row = (sessionId: string) =>
    server.database.prisma.practiceSession.findUniqueOrThrow({ where: { id: sessionId }, select: { scoringStatus: true, _count: { select: { scorecards: true } } } });

  it("tells the learner a one-turn session is too short, scores nothing, and leaves the assessment attempt unused", async () => {
    expect(server.library.library.scenarios.get(assessment)?.value.assessment?.max_attempts).toBe(1);

    const once = await start();
    await client.say(once, "You need to stop being so harsh in reviews.");
    const since = await end(once);
    const skipped = await client.next("score-skipped", (message) => message.sessionId === once, 10_000, since);
    expect(skipped.reason).toBe("too-short");
    expect(skipped.message).toMatch(/^Not scored: too short/);

    // Ended with no learner turn at all: too short too, never scored (nor read as listening well).
    const silent = await start();
    const silentSince = await end(silent);
    await client.next("score-skipped", (message) => message.sessionId === silent, 10_000, silentSince);

    // The one attempt is still there: a real conversation starts and is scored.
    const real = await start();
    await client.say(real, "Mateo, I'd like to talk about the review comments on Hana's pull request last Tuesday.");
    await client.say(real, "How did you see that review? I'm sure I'm missing part of the picture.");
    const realSince = await end(real);
    await client.next("score-ready", (message) => message.sessionId === real, 20_000, realSince);

    // Scored after the short ones ended, so had they been queued they would have been scored by now.
    expect(await row(once)).toEqual({ scoringStatus: "too_short", _count: { scorecards: 0 } });
    expect(await row(silent)).toEqual({ scoringStatus: "too_short", _count: { scorecards: 0 } });
    expect(await row(real)).toEqual({ scoringStatus: "done", _count: { scorecards: 1 } });

    // That one counted: the assessment is now used up.
    const refusedSince = client.mark;
    client.send({ type: "session-start", scenarioId: assessment });
    expect((await client.next("error", () => true, 10_000, refusedSince)).code).toBe("ATTEMPTS_USED");

    // Resuming a short session says so again; history says so in words the web shows.
    const resumeSince = client.mark;
    client.send({ type: "session-resume", sessionId: once, lastSeq: 0 });
    await client.next("score-skipped", (message) => message.sessionId === once, 10_000, resumeSince);
    const grace = await server.database.prisma.user.findUniqueOrThrow({ where: { email: "grace.oneill@demo.example" } });
    const history = LearnerHistory.parse((await server.app.inject({ method: "GET", url: `/api/learners/${grace.id}/history`, headers: { cookie } })).json());
    expect(history.sessions.filter((session) => session.scoring === "too_short").map((session) => session.sessionId).sort()).toEqual([once, silent].sort());
    expect(history.sessions.find((session) => session.sessionId === real)?.scoring).toBe("done");
  });

  it("cannot be queued for scoring by a rescore", async () => {
    const since = client.mark;
    client.send({ type: "session-start", scenarioId: "feedback-to-a-peer" });
    const sessionId = (await client.next("session-ready", () => true, 10_000, since)).session.id;
    await end(sessionId);
    // Jordan manages Grace: a manager may rescore a scored session, not one too short to score.
    const manager = await demoSignIn(server.app, "jordan.reyes@demo.example");
    const rescore = await server.app.inject({ method: "POST", url: `/api/practice-sessions/${sessionId}/rescore`, headers: { cookie: manager }, payload: {} });
    expect(rescore.statusCode, rescore.body).toBe(409);
    expect((await row(sessionId)).scoringStatus).toBe("too_short");
  });
});
