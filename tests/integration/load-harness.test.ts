// The load benchmark's parts, run small, so `pnpm bench` keeps working: a server in its own
// process, learners over real websockets, the fake model's stamped tokens, the inspector.
import { describe, expect, it } from "vitest";
import { costRun, practiceRun } from "../../bench/load/scenarios.ts";

describe("the load benchmark", () => {
  it("measures a practice window end to end on PGlite", { timeout: 120_000 }, async () => {
    const run = await practiceRun({
      database: "pglite",
      // Enough sessions that what they hold stands above the heap's noise between two readings.
      sessions: 40,
      thinkMs: 400,
      windowMs: 2_500,
      coalesceMs: 0,
      model: { firstToken: 30, tokensPerSecond: 200, replyTokens: 10, stamp: true },
    });
    const window = run.window;
    expect(window.errors).toEqual({});
    expect(window.replies).toBeGreaterThan(10);
    // Every token is stamped when the model writes it, so what arrives can be timed and counted.
    // How close delivery keeps up is the benchmark's figure (a busy machine lags); here, that
    // tokens are counted at both ends and no more arrive than were written.
    expect(window.deliveredTokensPerSecond).toBeGreaterThan(0);
    // The two are counted over the same 2.5 s window, so tokens written just before it and
    // delivered inside it count at one end only: on a busy machine that is up to a fifth more.
    // A token delivered twice would double the ratio.
    expect(window.deliveredTokensPerSecond / window.emittedTokensPerSecond).toBeLessThan(1.5);
    expect(window.firstTokenAdded.p50).toBeGreaterThanOrEqual(0);
    expect(window.firstTokenAdded.p50).toBeLessThan(1_000);
    expect(window.commit.p50).toBeGreaterThan(0);
    expect(window.cpuMicrosPerFrame).toBeGreaterThan(0);
    expect(window.serverLoopP99).toBeGreaterThan(0);
    expect(run.idleSessionKiB.heap).toBeGreaterThan(0);
  });

  it("costs whole sessions scored by the judge, with the persona's prefix identical throughout", { timeout: 120_000 }, async () => {
    const run = await costRun({ sessions: 3, turns: 2, coalesceMs: 0 });
    expect(run.cost.sessions).toBe(3);
    // Two replies of 30 tokens each per session, as the fake model reports them.
    expect(run.cost.personaOutputPerSession).toBe(60);
    expect(run.cost.judgeInputPerScorecard).toBeGreaterThan(0);
    expect(run.personaRequests).toBe(6);
    // One session on each of three scenarios: three prefixes, each identical across its turns.
    expect(run.distinctPrefixes).toEqual([1, 1, 1]);
  });
});
