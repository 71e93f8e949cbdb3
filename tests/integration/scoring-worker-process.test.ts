// `spar worker` as the process it is in production, on PostgreSQL: killed in the middle of a judge
// call, its job is taken over by another worker process once the lease lapses, and scored once;
// SIGTERM stops a worker cleanly. The test's app only queues sessions (SPAR_SCORING_WORKER=off)
// and, like every pg-boss instance, supervises the queue, here every second.
import type { ChildProcess } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { demoSignIn, startTestApp } from "@spar/server/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { finished, spawnServerScript } from "../fixtures/processes.ts";

async function eventually<T>(check: () => Promise<T | false | null | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// Each test starts real worker processes (tsx, the library, pg-boss), several seconds each on a
// busy two-core machine.
describe("the scoring worker process (PostgreSQL)", { timeout: 120_000 }, () => {
  let server: Awaited<ReturnType<typeof startTestApp>>;
  let silentJudge: Server;
  let judgeCalls = 0;

  beforeAll(async () => {
    server = await startTestApp("postgresql", {
      environment: { SPAR_SCORING_WORKER: "off", SPAR_MAX_OPEN_SESSIONS: "50" },
      // Jobs this app sends carry a three-second lease; the outbox sweep is left to the test.
      scoringQueue: { attemptTimeoutMs: 3_000, heartbeatMs: null, outboxMs: 600_000 },
    });
    await demoSignIn(server.app, "alex.morgan@demo.example");
    // A judge that takes every request and never answers: the worker is mid-call when it is killed.
    silentJudge = createServer(() => {
      judgeCalls += 1;
    });
    await new Promise<void>((resolve) => silentJudge.listen(0, "127.0.0.1", resolve));
  });
  afterAll(async () => {
    silentJudge?.closeAllConnections();
    silentJudge?.close();
    await server?.close();
  });

  function startWorker(environment: Record<string, string> = {}): {
    child: ChildProcess;
    output: Promise<{ code: number | null; stdout: string; stderr: string }>;
  } {
    const child = spawnServerScript("cli/main.ts", ["worker"], {
      DATABASE_URL: server.database.url as string,
      SPAR_SCORING_CONCURRENCY: "1",
      LOG_LEVEL: "info",
      ...environment,
    });
    return { child, output: finished(child) };
  }

  async function endedSession(): Promise<string> {
    const learner = await server.database.prisma.user.findUniqueOrThrow({
      where: { email: "sam.whitaker@demo.example" },
    });
    const started = await server.practice.start(learner.id, "frustrated-customer");
    if (!started.ok) throw new Error(started.message);
    for (const [index, text] of [
      "I'm so sorry. What happened this time?",
      "That sounds exhausting. What would a good outcome look like for you this week?",
    ].entries()) {
      await server.practice.submitTurn(learner.id, started.session.id, `t${index + 1}`, text);
      await server.practice.reply(started.session.id, {
        signal: new AbortController().signal,
        onStart: () => {},
        onDelta: () => {},
      });
    }
    await server.practice.end(learner.id, started.session.id);
    // Sent by the app, with its three-second lease, before any worker's own sweep could send it.
    await server.scoringQueue.enqueue(started.session.id);
    return started.session.id;
  }

  const sessionRow = (sessionId: string) =>
    server.database.prisma.practiceSession.findUniqueOrThrow({
      where: { id: sessionId },
      select: { scoringStatus: true, scoringAttempts: true, scorecards: { select: { scorer: true } } },
    });

  it("takes over the job of a worker killed mid-judge-call once its lease lapses, and scores the session once", async () => {
    const sessionId = await endedSession();
    const doomed = startWorker({
      OPENAI_API_KEY: "sk-test",
      OPENAI_BASE_URL: `http://127.0.0.1:${(silentJudge.address() as AddressInfo).port}/v1`,
    });
    await eventually(async () => judgeCalls > 0, 60_000);
    doomed.child.kill("SIGKILL");
    expect((await doomed.output).code).toBeNull();
    expect((await sessionRow(sessionId)).scoringStatus).toBe("pending");

    const survivor = startWorker();
    const row = await eventually(async () => {
      const current = await sessionRow(sessionId);
      return current.scoringStatus === "done" && current;
    }, 60_000);
    // The killed attempt counted; the second scored with the offline scorer, once.
    expect(row).toEqual({ scoringStatus: "done", scoringAttempts: 2, scorecards: [{ scorer: "offline" }] });

    survivor.child.kill("SIGTERM");
    const stopped = await survivor.output;
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(stopped.stdout).toContain('"msg":"scoring worker ready"');
    expect(stopped.stdout).toContain('"engine":"pg-boss"');
    expect(stopped.stdout).toContain('"msg":"session scored"');
    expect(stopped.stdout).toContain('"msg":"scoring worker stopped"');
  });
});
