import { describe, expect, it } from "vitest";
import { createMetrics, type ScoringQueueState } from "../src/metrics/metrics.ts";
import { ManualClock } from "../src/testing.ts";

/** A scoring queue that answers what the test says, counting how often it is read. */
function queueOf(state: ScoringQueueState | Error) {
  const queue = {
    reads: 0,
    read: async () => {
      queue.reads++;
      if (state instanceof Error) throw state;
      return state;
    },
  };
  return queue;
}

function metricsWith(queue: ReturnType<typeof queueOf>, clock = new ManualClock(), processMetrics = false) {
  const warnings: string[] = [];
  const metrics = createMetrics({
    scoringQueue: queue.read,
    clock,
    processMetrics,
    log: { warn: (_bindings: unknown, message?: string) => warnings.push(message ?? "") },
  });
  return { metrics, warnings };
}

describe("metrics", () => {
  it("reads the scoring queue once per scrape and ages it by the clock", async () => {
    const clock = new ManualClock();
    const queue = queueOf({ depth: 3, oldestEndedAt: new Date(clock.now().getTime() - 90_000) });
    const { metrics } = metricsWith(queue, clock);
    const text = await metrics.registry.metrics();
    expect(text).toContain("spar_scoring_queue_depth 3\n");
    expect(text).toContain("spar_scoring_queue_oldest_age_seconds 90\n");
    expect(queue.reads).toBe(1);
    clock.advance(30_000);
    expect(await metrics.registry.metrics()).toContain("spar_scoring_queue_oldest_age_seconds 120\n");
    expect(queue.reads).toBe(2);
  });

  it("says 0 for an empty queue, and NaN (not 0) when the database cannot answer", async () => {
    expect(await metricsWith(queueOf({ depth: 0, oldestEndedAt: null })).metrics.registry.metrics()).toContain(
      "spar_scoring_queue_oldest_age_seconds 0\n",
    );
    const { metrics, warnings } = metricsWith(queueOf(new Error("connection refused")));
    metrics.practiceTurns.inc({ speaker: "learner", engine: "offline" });
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/^spar_scoring_queue_depth Nan$/m);
    expect(text).toMatch(/^spar_scoring_queue_oldest_age_seconds Nan$/m);
    expect(text).toContain('spar_practice_turns_total{speaker="learner",engine="offline"} 1');
    expect(warnings).toEqual(["metrics could not read the scoring queue"]);
  });

  it("counts a model call's input, output and cached tokens apart", async () => {
    const { metrics } = metricsWith(queueOf({ depth: 0, oldestEndedAt: null }));
    metrics.llm.usage("judge-model", "judge", { inputTokens: 1200, outputTokens: 300, cachedTokens: 1024 });
    metrics.llm.usage("judge-model", "judge", { inputTokens: 800, outputTokens: 100, cachedTokens: 0 });
    metrics.llm.firstToken("persona-model", 0.3);
    metrics.llm.failure("persona-model", "http_429");
    const text = await metrics.registry.metrics();
    expect(text).toContain('spar_llm_tokens_total{model="judge-model",purpose="judge",kind="input"} 2000');
    expect(text).toContain('spar_llm_tokens_total{model="judge-model",purpose="judge",kind="output"} 400');
    expect(text).toContain('spar_llm_tokens_total{model="judge-model",purpose="judge",kind="cached"} 1024');
    expect(text).toContain('spar_llm_first_token_seconds_bucket{le="0.25",model="persona-model"} 0');
    expect(text).toContain('spar_llm_first_token_seconds_bucket{le="0.5",model="persona-model"} 1');
    expect(text).toContain('spar_llm_request_errors_total{model="persona-model",code="http_429"} 1');
  });

  it("keeps two apps' counts apart in one process, both showing the process's own metrics", async () => {
    const first = metricsWith(queueOf({ depth: 0, oldestEndedAt: null }), new ManualClock(), true).metrics;
    const second = metricsWith(queueOf({ depth: 0, oldestEndedAt: null }), new ManualClock(), true).metrics;
    first.errors.inc({ code: "BAD_MESSAGE", transport: "socket" });
    const [firstText, secondText] = [await first.registry.metrics(), await second.registry.metrics()];
    expect(firstText).toContain('spar_errors_total{code="BAD_MESSAGE",transport="socket"} 1');
    expect(secondText).not.toContain("BAD_MESSAGE");
    for (const text of [firstText, secondText]) expect(text).toMatch(/^process_cpu_seconds_total \d/m);
  });
});
