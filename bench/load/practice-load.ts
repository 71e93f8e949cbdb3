// Drives simulated learners against running servers and measures one window of practice.
import { monitorEventLoopDelay } from "node:perf_hooks";
import type { LoadEnvironment } from "./load-environment.ts";
import { type LearnerPlan, LoadStats, SimulatedLearner } from "./simulated-learner.ts";
import { mean, percentile, sleep } from "./stats.ts";

export const scenarioId = "price-objection";

/** Think time drawn evenly between half and one and a half times the mean. */
export const thinkAround = (meanMs: number) => () => meanMs * (0.5 + Math.random());

export class LoadDriver {
  readonly stats = new LoadStats();
  readonly learners: SimulatedLearner[] = [];
  readonly #practising: Promise<void>[] = [];
  // The load generator's own event loop: when it lags, its latencies are its own, not the server's.
  readonly #generatorLoop = monitorEventLoopDelay({ resolution: 5 });

  constructor(private readonly environment: LoadEnvironment) {
    this.#generatorLoop.enable();
  }

  /** Connects learners (round-robin over the servers and scenarios) and starts a session for each, `batch` at a time. */
  async connect(count: number, batch = 100, scenarios: readonly string[] = [scenarioId]): Promise<void> {
    const { accounts, servers } = this.environment;
    const from = this.learners.length;
    for (let start = from; start < from + count; start += batch) {
      const group = accounts.slice(start, Math.min(from + count, start + batch));
      const connected = await Promise.all(
        group.map(async (account, offset) => {
          const learner = new SimulatedLearner(this.stats, account.cookie);
          const server = servers[(start + offset) % servers.length];
          if (!server) throw new Error("no server");
          await learner.connect(server.baseUrl);
          await learner.startSession(scenarios[(start + offset) % scenarios.length] ?? scenarioId);
          return learner;
        }),
      );
      this.learners.push(...connected);
    }
  }

  /** Sets `count` more connected learners practising; their first turns spread over one think time. */
  activate(count: number, plan: LearnerPlan, startAt: number): void {
    for (const learner of this.learners.slice(startAt, startAt + count)) {
      this.#practising.push(learner.practise(plan));
    }
  }

  /** Measures everything over one window of `ms` milliseconds. */
  async measure(ms: number): Promise<WindowFigures> {
    const { servers, fake } = this.environment;
    await Promise.all(servers.map((server) => server.inspector.window()));
    this.#generatorLoop.reset();
    const emittedBefore = fake.counts.tokens;
    this.stats.reset();
    this.stats.recording = true;
    const started = performance.now();
    await sleep(ms);
    this.stats.recording = false;
    const seconds = (performance.now() - started) / 1000;
    const emitted = fake.counts.tokens - emittedBefore;
    const windows = await Promise.all(servers.map((server) => server.inspector.window()));
    const stats = this.stats;
    const cpuMicros = windows.reduce((sum, window) => sum + window.cpuMicros, 0);
    return {
      seconds,
      replies: stats.replies,
      repliesPerSecond: stats.replies / seconds,
      emittedTokensPerSecond: emitted / seconds,
      deliveredTokensPerSecond: stats.tokens / seconds,
      firstTokenAdded: { p50: percentile(stats.firstTokenAddedMs, 50), p95: percentile(stats.firstTokenAddedMs, 95), p99: percentile(stats.firstTokenAddedMs, 99) },
      extraGapP99: percentile(stats.extraGapMs, 99),
      extraGapMean: mean(stats.extraGapMs),
      commit: { p50: percentile(stats.commitMs, 50), p95: percentile(stats.commitMs, 95) },
      frames: stats.frames,
      tokensPerFrame: stats.frames === 0 ? 0 : stats.tokens / stats.frames,
      serverLoopP99: Math.max(...windows.map((window) => window.loopP99Ms)),
      serverCpuShare: cpuMicros / 1e6 / seconds / servers.length,
      cpuMicrosPerFrame: stats.frames === 0 ? 0 : cpuMicros / stats.frames,
      generatorLoopP99: this.#generatorLoop.percentile(99) / 1e6,
      errors: Object.fromEntries(stats.errors),
    };
  }

  /** Stops practising after the turn in hand, and waits for every learner to finish it. */
  async stop(): Promise<void> {
    for (const learner of this.learners) learner.stop();
    await Promise.race([Promise.allSettled(this.#practising), sleep(60_000)]);
  }

  close(): void {
    for (const learner of this.learners) learner.close();
    this.#generatorLoop.disable();
  }
}

export interface WindowFigures {
  seconds: number;
  replies: number;
  repliesPerSecond: number;
  emittedTokensPerSecond: number;
  deliveredTokensPerSecond: number;
  firstTokenAdded: { p50: number; p95: number; p99: number };
  extraGapP99: number;
  extraGapMean: number;
  commit: { p50: number; p95: number };
  frames: number;
  tokensPerFrame: number;
  serverLoopP99: number;
  /** CPU time of the server process(es) as a share of one core. */
  serverCpuShare: number;
  cpuMicrosPerFrame: number;
  generatorLoopP99: number;
  errors: Record<string, number>;
}
