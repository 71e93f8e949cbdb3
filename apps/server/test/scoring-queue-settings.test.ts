import { defaultJudgeSettings, judgeDeadlineMs } from "@spar/llm";
import { describe, expect, it } from "vitest";
import { scoringQueueSettings } from "../src/scoring/scoring-queue-settings.ts";

describe("the scoring queue's numbers", () => {
  const hour = { retryWindowMs: 3_600_000, concurrency: 2 };

  it("gives an attempt a lease longer than the judge's slowest answer", () => {
    const deadline = judgeDeadlineMs(defaultJudgeSettings);
    // Two tries of an answer, each up to three calls of a minute with the SDK's waits between.
    expect(deadline).toBe(2 * (3 * 60_000 + 2 * 8_000));
    const settings = scoringQueueSettings(hour, deadline);
    expect(settings.attemptTimeoutMs).toBeGreaterThan(deadline);
    // A dead worker is noticed by the heartbeat long before the lease runs out.
    expect(settings.heartbeatMs).toBeLessThan(settings.attemptTimeoutMs / 10);
  });

  it("never leases an attempt for less than two minutes, however quick the scorer", () => {
    expect(scoringQueueSettings(hour, 10_000).attemptTimeoutMs).toBe(120_000);
  });

  it("tries for the whole retry window with the backoff it always had", () => {
    const settings = scoringQueueSettings(hour, 10_000);
    expect(settings).toMatchObject({ concurrency: 2, backoffBaseMs: 2_000, maxBackoffMs: 300_000, maxAttempts: 20 });
    expect(scoringQueueSettings({ retryWindowMs: 0, concurrency: 1 }, 10_000).maxAttempts).toBe(1);
  });

  it("takes smaller waits from tests, counting the attempts from the backoff they give", () => {
    const settings = scoringQueueSettings({ retryWindowMs: 10_000, concurrency: 1 }, 10_000, {
      backoffBaseMs: 1_000,
      pollMs: 500,
    });
    // Waits of 1, 2, 4 and 8 s: the fourth takes the tries past the 10 s window, so five attempts.
    expect(settings).toMatchObject({ backoffBaseMs: 1_000, pollMs: 500, maxAttempts: 5 });
  });
});
