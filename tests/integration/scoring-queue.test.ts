// Scoring on pg-boss, against a real PostgreSQL: sessions are queued once however often they are
// sent, one process scores two at once, a failing judge is retried with backoff until the session
// lands in the failed (dead-letter) list, from which the L&D admin retries it, an attempt that
// outruns its lease is taken over and its late answer thrown away, and two workers never score one
// session twice. Each worker here is a queue of its own on the test's database, as a `spar worker`
// process would run it; the app itself only queues (SPAR_SCORING_WORKER=off).
import { PrismaScoringStore } from "@spar/db";
import { offlineScorer, type ScoreResult, systemClock, type TranscriptScorer } from "@spar/domain";
import { ScoringFailureList } from "@spar/protocol";
import { createScoringQueue } from "@spar/server/scoring";
import { demoSignIn, startTestApp, testScoringQueue } from "@spar/server/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

type TestApp = Awaited<ReturnType<typeof startTestApp>>;
type ScoringQueueSettings = Parameters<typeof createScoringQueue>[0]["settings"];

/** One call to a scorer, timed by the scorer itself. */
interface ScorerCall {
  firstTurn: string;
  startedAt: number;
  endedAt: number | null;
}

/** A scorer that records its calls and does what `behaviour` says (by default, scores offline). */
function recordingScorer(
  model: string,
  behaviour: (call: ScorerCall, calls: ScorerCall[]) => Promise<ScoreResult | undefined> = async () => undefined,
) {
  const calls: ScorerCall[] = [];
  const scorer: TranscriptScorer = {
    kind: "offline",
    model,
    async score(rubric, transcript, metrics, context) {
      const call: ScorerCall = {
        firstTurn: transcript.find((turn) => turn.speaker === "learner")?.text ?? "",
        startedAt: performance.now(),
        endedAt: null,
      };
      calls.push(call);
      try {
        return (await behaviour(call, calls)) ?? (await offlineScorer.score(rubric, transcript, metrics, context));
      } finally {
        call.endedAt = performance.now();
      }
    },
  };
  return { scorer, calls };
}

/** Polls until `check` holds, or fails after `timeoutMs`. */
async function eventually<T>(check: () => Promise<T | false | null | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("scoring on pg-boss (PostgreSQL)", () => {
  let server: TestApp;
  let admin: string;
  let sessionCount = 0;
  const workers: { stop(): Promise<void> }[] = [];

  beforeAll(async () => {
    // A job carries the lease and retry policy of the process that sent it, so each test has its own
    // worker send the sessions it scores; the app's own outbox sweep waits out the file.
    server = await startTestApp("postgresql", {
      environment: { SPAR_SCORING_WORKER: "off", SPAR_MAX_OPEN_SESSIONS: "50" },
      scoringQueue: { outboxMs: 600_000 },
    });
    admin = await demoSignIn(server.app, "alex.morgan@demo.example");
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((worker) => worker.stop()));
  });
  afterAll(async () => {
    await server?.close();
  });

  /** A worker process's queue on the test's database, scoring with `scorer`. */
  async function startWorker(scorer: TranscriptScorer, settings: Partial<ScoringQueueSettings> = {}) {
    const { queue } = createScoringQueue({
      config: server.config,
      store: new PrismaScoringStore(server.database.prisma),
      scorer,
      library: () => server.library.library,
      clock: systemClock,
      log: server.app.log,
      settings: {
        concurrency: 1,
        maxAttempts: 3,
        backoffBaseMs: 1_000,
        maxBackoffMs: 4_000,
        attemptTimeoutMs: 60_000,
        heartbeatMs: null,
        pollMs: testScoringQueue.pollMs ?? 500,
        superviseMs: 1_000,
        outboxMs: 1_000,
        ...settings,
      },
      work: true,
    });
    await queue.start();
    workers.push(queue);
    return queue;
  }

  /** An ended session waiting for its score, its first learner turn naming it. */
  async function endedSession(): Promise<{ id: string; firstTurn: string }> {
    const learner = await server.database.prisma.user.findUniqueOrThrow({
      where: { email: "sam.whitaker@demo.example" },
    });
    const started = await server.practice.start(learner.id, "frustrated-customer");
    if (!started.ok) throw new Error(started.message);
    sessionCount += 1;
    const firstTurn = `I'm so sorry, this is the ${sessionCount}th time. What happened this time?`;
    for (const [index, text] of [
      firstTurn,
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
    return { id: started.session.id, firstTurn };
  }

  const jobsOf = (sessionId: string) =>
    server.database.prisma.$queryRaw<{ name: string; state: string; retry_count: number }[]>`
      SELECT name, state::text AS state, retry_count FROM pgboss.job WHERE singleton_key = ${sessionId} ORDER BY created_on`;
  const scorecardsOf = (sessionId: string) =>
    server.database.prisma.scorecard.findMany({ where: { sessionId }, select: { model: true } });
  const sessionRow = (sessionId: string) =>
    server.database.prisma.practiceSession.findUniqueOrThrow({
      where: { id: sessionId },
      select: { scoringStatus: true, scoringAttempts: true, scoringError: true },
    });

  it("queues a session once however often it is sent, and a worker scores it once", async () => {
    const session = await endedSession();
    // The outbox sweep, a session ended here, and explicit sends: one job all the same.
    server.scoringQueue.sessionEnded();
    await Promise.all([
      server.scoringQueue.enqueue(session.id),
      server.scoringQueue.enqueue(session.id),
      server.scoringQueue.enqueue(session.id),
    ]);
    await eventually(async () => (await jobsOf(session.id)).length > 0);
    expect(await jobsOf(session.id)).toEqual([{ name: "scoring", state: "created", retry_count: 0 }]);

    const { scorer, calls } = recordingScorer("worker");
    await startWorker(scorer);
    await eventually(async () => (await sessionRow(session.id)).scoringStatus === "done");
    expect(await scorecardsOf(session.id)).toHaveLength(1);
    expect(calls).toHaveLength(1);
    expect(await jobsOf(session.id)).toEqual([{ name: "scoring", state: "completed", retry_count: 0 }]);
  });

  it("scores two sessions at once with a concurrency of 2", async () => {
    // Each scoring waits (up to 5 s) for the other to have started: one at a time, the first would
    // end before the second started, and the timestamps below would say so.
    const { scorer, calls } = recordingScorer("concurrent", async (_call, all) => {
      const deadline = performance.now() + 5_000;
      while (all.length < 2 && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      return undefined;
    });
    const queue = await startWorker(scorer, { concurrency: 2 });
    const outcomes: string[] = [];
    queue.onOutcome((outcome) => outcomes.push(`${outcome.kind} ${outcome.sessionId}`));
    const [first, second] = [await endedSession(), await endedSession()];
    queue.sessionEnded();
    await eventually(
      async () =>
        (await sessionRow(first.id)).scoringStatus === "done" && (await sessionRow(second.id)).scoringStatus === "done",
    );

    expect(calls).toHaveLength(2);
    const [a, b] = calls as [ScorerCall, ScorerCall];
    // Overlap in the scorer's own clock: each started before the other ended.
    expect(a.startedAt).toBeLessThan(b.endedAt ?? 0);
    expect(b.startedAt).toBeLessThan(a.endedAt ?? 0);
    expect(Math.min(a.endedAt ?? 0, b.endedAt ?? 0) - Math.max(a.startedAt, b.startedAt)).toBeGreaterThan(0);
    expect(outcomes.sort()).toEqual([`scored ${first.id}`, `scored ${second.id}`].sort());
  });

  it("retries a failing judge with backoff, lists the session as failed once the attempts run out, and scores it when the admin retries", async () => {
    let down = true;
    const { scorer, calls } = recordingScorer("flaky", async () =>
      down ? { ok: false, code: "unavailable", message: "the judge answered 503", retryable: true } : undefined,
    );
    const queue = await startWorker(scorer, { maxAttempts: 3, backoffBaseMs: 1_000 });
    const outcomes: { kind: string; nextAttemptAt?: Date | null }[] = [];
    queue.onOutcome((outcome) => outcomes.push(outcome));
    const session = await endedSession();
    queue.sessionEnded();

    await eventually(async () => (await sessionRow(session.id)).scoringStatus === "failed", 20_000);
    expect(await sessionRow(session.id)).toEqual({
      scoringStatus: "failed",
      scoringAttempts: 3,
      scoringError: "the judge answered 503",
    });
    expect(calls).toHaveLength(3);
    // pg-boss's backoff: the nth retry waits between base × 2^(n-1) and twice that (jitter).
    const gaps = calls.slice(1).map((call, index) => call.startedAt - (calls[index]?.endedAt ?? 0));
    expect(gaps[0]).toBeGreaterThanOrEqual(900);
    expect(gaps[1]).toBeGreaterThanOrEqual(1_900);
    expect(outcomes.map((outcome) => outcome.kind)).toEqual(["retrying", "retrying", "failed"]);
    expect(outcomes[0]?.nextAttemptAt).toBeInstanceOf(Date);
    // The job failed for good, and pg-boss keeps a copy in the dead-letter queue.
    expect(await jobsOf(session.id)).toEqual([
      { name: "scoring", state: "failed", retry_count: 2 },
      { name: "scoring-failed", state: "created", retry_count: 0 },
    ]);

    const list = await server.app.inject({ method: "GET", url: "/api/scoring/failures", headers: { cookie: admin } });
    expect(list.statusCode).toBe(200);
    const failures = ScoringFailureList.parse(list.json());
    expect(failures.engine).toBe("pg-boss");
    expect(failures.failures.find((failure) => failure.sessionId === session.id)).toMatchObject({
      scenario: { id: "frustrated-customer" },
      error: "the judge answered 503",
      attempts: 3,
      endedAt: expect.any(String),
    });
    // Aggregate only: nothing of the conversation.
    expect(list.body).not.toContain("sorry");

    down = false;
    const retried = await server.app.inject({
      method: "POST",
      url: `/api/scoring/failures/${session.id}/retry`,
      headers: { cookie: admin },
    });
    expect(retried.statusCode, retried.body).toBe(202);
    await eventually(async () => (await sessionRow(session.id)).scoringStatus === "done");
    expect(await scorecardsOf(session.id)).toEqual([{ model: "flaky" }]);
    const jobs = (await jobsOf(session.id)).map((job) => `${job.name} ${job.state}`);
    expect(jobs[0]).toBe("scoring failed");
    expect(jobs).toContain("scoring completed");
    // An outbox sweep that read the session while it waited may send it again once its job is
    // done; that job finds nothing waiting and completes without scoring (one scorecard, above).
    expect(jobs.slice(1).every((job) => ["scoring completed", "scoring created", "scoring active"].includes(job))).toBe(true);
    const after = ScoringFailureList.parse(
      (await server.app.inject({ method: "GET", url: "/api/scoring/failures", headers: { cookie: admin } })).json(),
    );
    expect(after.failures.map((failure) => failure.sessionId)).not.toContain(session.id);
    // Scored now: nothing to retry.
    expect(
      (
        await server.app.inject({
          method: "POST",
          url: `/api/scoring/failures/${session.id}/retry`,
          headers: { cookie: admin },
        })
      ).statusCode,
    ).toBe(409);
  });

  it("gives a session whose attempt outran its lease to another worker, and throws the late answer away", async () => {
    let releaseSlow: () => void = () => {};
    const slowAnswer = new Promise<void>((resolve) => {
      releaseSlow = resolve;
    });
    const slow = recordingScorer("slow-worker", async () => {
      await slowAnswer;
      return undefined;
    });
    const slowQueue = await startWorker(slow.scorer, { attemptTimeoutMs: 2_000 });
    const slowOutcomes: { kind: string; nextAttemptAt?: Date | null }[] = [];
    slowQueue.onOutcome((outcome) => slowOutcomes.push(outcome));
    const session = await endedSession();
    slowQueue.sessionEnded();
    await eventually(async () => slow.calls.length === 1);

    // The slow worker keeps its one slot until its scorer answers, so the retry goes elsewhere.
    const fast = recordingScorer("fast-worker");
    await startWorker(fast.scorer);
    await eventually(async () => (await sessionRow(session.id)).scoringStatus === "done");
    expect(await scorecardsOf(session.id)).toEqual([{ model: "fast-worker" }]);

    releaseSlow();
    await eventually(async () => slowOutcomes.length === 1);
    expect(slowOutcomes[0]).toMatchObject({ kind: "retrying", nextAttemptAt: null });
    expect(await scorecardsOf(session.id)).toEqual([{ model: "fast-worker" }]);
    const jobs = (await jobsOf(session.id)).map((job) => `${job.state} ${job.retry_count}`);
    expect(jobs[0]).toBe("completed 1");
    // As above: an outbox sweep may send the scored session again; that job scores nothing.
    expect(jobs.slice(1).every((job) => ["completed 0", "created 0", "active 0"].includes(job))).toBe(true);
  });

  it("never scores one session twice with two workers taking from one queue", async () => {
    const a = recordingScorer("worker-a");
    const b = recordingScorer("worker-b");
    const queues = await Promise.all([
      startWorker(a.scorer, { concurrency: 2 }),
      startWorker(b.scorer, { concurrency: 2 }),
    ]);
    const sessions: { id: string; firstTurn: string }[] = [];
    for (let index = 0; index < 8; index++) sessions.push(await endedSession());
    for (const queue of queues) queue.sessionEnded();
    await eventually(async () => {
      const rows = await server.database.prisma.practiceSession.findMany({
        where: { id: { in: sessions.map((session) => session.id) } },
        select: { scoringStatus: true },
      });
      return rows.every((row) => row.scoringStatus === "done");
    }, 30_000);
    for (const session of sessions) expect(await scorecardsOf(session.id)).toHaveLength(1);
    // Each session went to the scorers once in all.
    const scored = [...a.calls, ...b.calls].map((call) => call.firstTurn).sort();
    expect(scored).toEqual(sessions.map((session) => session.firstTurn).sort());
  });
});
