// The operational metrics one server process exposes on GET /metrics, in Prometheus's format.
// Every app gets its own registry (tests build many apps in one process); Node's process metrics
// are facts about the process, so they are collected once and shared by every app's registry.
import type { Clock } from "@spar/domain";
import type { LlmObserver } from "@spar/llm";
import type { FastifyBaseLogger } from "fastify";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

/** The scoring queue as one cheap query reads it (PrismaScoringStore.queue). */
export interface ScoringQueueState {
  depth: number;
  oldestEndedAt: Date | null;
}

export interface MetricsDeps {
  /** Read once per scrape. */
  scoringQueue: () => Promise<ScoringQueueState>;
  clock: Clock;
  /** Adds Node's process metrics (CPU, memory, heap, GC, event loop lag) under their usual names. */
  processMetrics: boolean;
  log: Pick<FastifyBaseLogger, "warn">;
}

let processRegistry: Registry | null = null;

/**
 * Node's process metrics, collected at most once per process: collectDefaultMetrics starts a GC
 * observer and an event-loop monitor that are never stopped, so one per app would leak in tests.
 * They keep their standard names (process_cpu_seconds_total, nodejs_eventloop_lag_seconds…) so
 * stock Node.js dashboards work unchanged.
 */
function sharedProcessMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/** Buckets for waiting on a model: a tenth of a second up to the ten seconds nobody waits past. */
const firstTokenBuckets = [0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 7.5, 10];

export function createMetrics(deps: MetricsDeps) {
  const own = new Registry();
  const registers = [own];

  // Both queue gauges are set from one query per scrape, whichever of them is collected first.
  // When the database cannot answer they say NaN (unknown), never a reassuring 0.
  let reading: Promise<ScoringQueueState | null> | null = null;
  const readQueue = () => {
    reading ??= deps
      .scoringQueue()
      .catch((error: unknown) => {
        deps.log.warn({ err: error }, "metrics could not read the scoring queue");
        return null;
      })
      .finally(() => {
        reading = null;
      });
    return reading;
  };

  const llmFirstToken = new Histogram({
    name: "spar_llm_first_token_seconds",
    help: "Seconds from asking the persona model for a reply to its first streamed token, retries included.",
    labelNames: ["model"] as const,
    buckets: firstTokenBuckets,
    registers,
  });
  const llmTokens = new Counter({
    name: "spar_llm_tokens_total",
    help: "Tokens the models reported using; cached tokens are the part of the input the provider served from its cache.",
    labelNames: ["model", "purpose", "kind"] as const,
    registers,
  });
  const llmRequestErrors = new Counter({
    name: "spar_llm_request_errors_total",
    help: "Failed model attempts (retried ones too): http_<status>, connection, timeout, stall, stream_lost, invalid_output.",
    labelNames: ["model", "code"] as const,
    registers,
  });
  const llm: LlmObserver = {
    firstToken: (model, seconds) => llmFirstToken.observe({ model }, seconds),
    usage: (model, purpose, usage) => {
      llmTokens.inc({ model, purpose, kind: "input" }, usage.inputTokens);
      llmTokens.inc({ model, purpose, kind: "output" }, usage.outputTokens);
      llmTokens.inc({ model, purpose, kind: "cached" }, usage.cachedTokens);
    },
    failure: (model, code) => llmRequestErrors.inc({ model, code }),
  };

  const instruments = {
    llm,
    practiceSocketsOpen: new Gauge({
      name: "spar_practice_sockets_open",
      help: "Practice websockets open in this process.",
      registers,
    }),
    practiceSessionsActive: new Gauge({
      name: "spar_practice_sessions_active",
      help: "Practice websockets in this process attached to a session (started or resumed on them).",
      registers,
    }),
    practiceTurns: new Counter({
      name: "spar_practice_turns_total",
      help: "Turns committed: learner messages (resends not counted) and persona replies.",
      labelNames: ["speaker", "engine"] as const,
      registers,
    }),
    personaGuardCuts: new Counter({
      name: "spar_persona_guard_cuts_total",
      help: "Persona replies the output guard cut and replaced by a deflection, by what they were giving away: instructions or hidden-fact.",
      labelNames: ["reason"] as const,
      registers,
    }),
    scorecards: new Counter({
      name: "spar_scorecards_total",
      help: "Scoring attempts finished by this process's worker, by outcome: scored, retrying or failed (for good).",
      labelNames: ["scorer", "outcome"] as const,
      registers,
    }),
    errors: new Counter({
      name: "spar_errors_total",
      help: "Errors answered to clients, by stable error code and transport (http or socket).",
      labelNames: ["code", "transport"] as const,
      registers,
    }),
    httpRequestDuration: new Histogram({
      name: "spar_http_request_duration_seconds",
      help: "HTTP request durations by method, route pattern and status code.",
      labelNames: ["method", "route", "status_code"] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    scoringQueueDepth: new Gauge({
      name: "spar_scoring_queue_depth",
      help: "Ended sessions waiting to be scored or being scored, across every process sharing the database.",
      registers,
      async collect() {
        this.set((await readQueue())?.depth ?? Number.NaN);
      },
    }),
    scoringQueueOldestAge: new Gauge({
      name: "spar_scoring_queue_oldest_age_seconds",
      help: "Seconds since the longest-waiting session in the scoring queue ended; 0 when the queue is empty.",
      registers,
      async collect() {
        const queue = await readQueue();
        if (!queue) return this.set(Number.NaN);
        const age = queue.oldestEndedAt ? (deps.clock.now().getTime() - queue.oldestEndedAt.getTime()) / 1000 : 0;
        this.set(Math.max(0, age));
      },
    }),
  };
  // Merged once every instrument is registered: the merge takes the metrics there are now.
  const registry = deps.processMetrics ? Registry.merge([sharedProcessMetrics(), own]) : own;
  return { registry, ...instruments };
}

export type AppMetrics = ReturnType<typeof createMetrics>;
