// The benchmark's sections, each starting its own servers and database from nothing.
import { costFigures, scoringCounts, transcriptProblems } from "./database-checks.ts";
import type { ModelSettings } from "./fake-model.ts";
import { type EnvironmentSettings, startEnvironment } from "./load-environment.ts";
import { LoadDriver, scenarioId, thinkAround, type WindowFigures } from "./practice-load.ts";
import { summariseProfile } from "./profile-summary.ts";
import { sleep } from "./stats.ts";

const KiB = 1024;

export interface PracticeRunSettings {
  database: EnvironmentSettings["database"];
  sessions: number;
  thinkMs: number;
  windowMs: number;
  coalesceMs: number;
  model: ModelSettings;
  profile?: boolean;
}

export interface PracticeRunFigures {
  window: WindowFigures;
  idleSessionKiB: { rss: number; heap: number };
  activeSessionKiB: { rss: number; heap: number };
  profile: ReturnType<typeof summariseProfile> | null;
}

/** N learners connected with a session each, then all practising with think time; one window measured. */
export async function practiceRun(settings: PracticeRunSettings): Promise<PracticeRunFigures> {
  const environment = await startEnvironment({ database: settings.database, nodes: 1, accounts: settings.sessions, coalesceMs: settings.coalesceMs, scoring: false, model: settings.model });
  const driver = new LoadDriver(environment);
  const server = environment.servers[0];
  try {
    if (!server) throw new Error("no server");
    // A few sessions first warm the code paths, so the baseline is not a cold process.
    const warm = Math.min(50, Math.ceil(settings.sessions / 10));
    await driver.connect(warm);
    const empty = await server.inspector.memoryAfterGc();
    await driver.connect(settings.sessions - warm);
    const idle = await server.inspector.memoryAfterGc();
    const measured = settings.sessions - warm;
    driver.activate(settings.sessions, { scenarioId, thinkMs: thinkAround(settings.thinkMs), turnsPerSession: 0 }, 0);
    // Everyone has spoken at least once before measuring.
    await sleep(settings.thinkMs * 1.5 + 3_000);
    if (settings.profile) await server.inspector.startProfile();
    const window = await driver.measure(settings.windowMs);
    const profile = settings.profile ? summariseProfile(await server.inspector.stopProfile()) : null;
    const active = await server.inspector.memoryAfterGc();
    return {
      window,
      idleSessionKiB: { rss: (idle.rssBytes - empty.rssBytes) / KiB / measured, heap: (idle.heapUsedBytes - empty.heapUsedBytes) / KiB / measured },
      // What practising adds to every session, on top of what an idle one holds.
      activeSessionKiB: {
        rss: (idle.rssBytes - empty.rssBytes) / KiB / measured + (active.rssBytes - idle.rssBytes) / KiB / settings.sessions,
        heap: (idle.heapUsedBytes - empty.heapUsedBytes) / KiB / measured + (active.heapUsedBytes - idle.heapUsedBytes) / KiB / settings.sessions,
      },
      profile,
    };
  } catch (error) {
    throw withServerOutput(error, server?.output());
  } finally {
    driver.close();
    await environment.stop();
  }
}

export interface CapacityStep {
  sessions: number;
  window: WindowFigures;
}

/**
 * Adds practising sessions step by step on one node until the p95 server-added first-token
 * latency passes `limitMs` (or the steps run out).
 */
export async function capacityRun(settings: Omit<PracticeRunSettings, "sessions" | "profile"> & { steps: number[]; limitMs: number; warmupMs: number }): Promise<CapacityStep[]> {
  const most = Math.max(...settings.steps);
  const environment = await startEnvironment({ database: settings.database, nodes: 1, accounts: most, coalesceMs: settings.coalesceMs, scoring: false, model: settings.model });
  const driver = new LoadDriver(environment);
  const results: CapacityStep[] = [];
  try {
    for (const step of settings.steps) {
      const adding = step - driver.learners.length;
      const from = driver.learners.length;
      await driver.connect(adding);
      driver.activate(adding, { scenarioId, thinkMs: thinkAround(settings.thinkMs), turnsPerSession: 0 }, from);
      await sleep(settings.warmupMs);
      const window = await driver.measure(settings.windowMs);
      results.push({ sessions: step, window });
      console.log(`  ${step} sessions: first token added p95 ${window.firstTokenAdded.p95.toFixed(1)} ms, ${window.repliesPerSecond.toFixed(0)} replies/s, server CPU ${(window.serverCpuShare * 100).toFixed(0)} %`);
      if (window.firstTokenAdded.p95 > settings.limitMs) break;
    }
    return results;
  } catch (error) {
    throw withServerOutput(error, environment.servers[0]?.output());
  } finally {
    driver.close();
    await environment.stop();
  }
}

export interface TwoNodeFigures {
  oneNodeRepliesPerSecond: number;
  twoNodeRepliesPerSecond: number;
  endedSessions: number;
  scorecardsPerSession: Map<number, number>;
  resumes: number;
  acknowledgedTurns: number;
  transcriptProblems: string[];
}

/**
 * Closed-loop throughput on one server process, then on two sharing one PostgreSQL, with
 * learners spread over both, ending sessions (scored by both workers) and resuming halfway
 * through replies on the other process.
 */
export async function twoNodeRun(settings: { sessions: number; windowMs: number; coalesceMs: number; model: ModelSettings }): Promise<TwoNodeFigures> {
  const throughput = async (nodes: number) => {
    const environment = await startEnvironment({ database: "postgresql", nodes, accounts: settings.sessions, coalesceMs: settings.coalesceMs, scoring: false, model: settings.model });
    const driver = new LoadDriver(environment);
    try {
      await driver.connect(settings.sessions);
      driver.activate(settings.sessions, { scenarioId, thinkMs: () => 0, turnsPerSession: 0 }, 0);
      await sleep(3_000);
      return (await driver.measure(settings.windowMs)).repliesPerSecond;
    } finally {
      driver.close();
      await environment.stop();
    }
  };
  const oneNodeRepliesPerSecond = await throughput(1);
  const twoNodeRepliesPerSecond = await throughput(2);

  const environment = await startEnvironment({ database: "postgresql", nodes: 2, accounts: settings.sessions, coalesceMs: settings.coalesceMs, scoring: true, model: settings.model });
  const driver = new LoadDriver(environment);
  try {
    const database = environment.database;
    if (!database) throw new Error("two nodes need PostgreSQL");
    await driver.connect(settings.sessions);
    let next = 0;
    const urls = environment.servers.map((server) => server.baseUrl);
    driver.activate(settings.sessions, { scenarioId, thinkMs: thinkAround(500), turnsPerSession: 3, dropShare: 0.1, resumeOn: () => urls[next++ % urls.length] as string }, 0);
    await sleep(settings.windowMs);
    await driver.stop();
    const acknowledged = new Map<string, number>();
    for (const learner of driver.learners) for (const [sessionId, turns] of learner.acknowledged) acknowledged.set(sessionId, turns);
    const ended = driver.learners.flatMap((learner) => learner.endedSessions);
    return {
      oneNodeRepliesPerSecond,
      twoNodeRepliesPerSecond,
      endedSessions: ended.length,
      scorecardsPerSession: await scoringCounts(database, ended),
      resumes: driver.learners.reduce((sum, learner) => sum + learner.resumes, 0),
      acknowledgedTurns: [...acknowledged.values()].reduce((sum, turns) => sum + turns, 0),
      transcriptProblems: await transcriptProblems(database, acknowledged),
    };
  } catch (error) {
    throw withServerOutput(error, environment.servers.map((server) => server.output()).join("\n"));
  } finally {
    driver.close();
    await environment.stop();
  }
}

export interface CostRunFigures {
  cost: Awaited<ReturnType<typeof costFigures>>;
  personaRequests: number;
  /** Distinct static prefixes per scenario: 1 everywhere means byte-identical. */
  distinctPrefixes: number[];
  prefixBytes: number[];
  prefixTokens: number;
}

/** Whole sessions of `turns` learner turns on plain-word replies, scored by the judge, then costed. */
export async function costRun(settings: { sessions: number; turns: number; coalesceMs: number }): Promise<CostRunFigures> {
  const environment = await startEnvironment({
    database: "postgresql",
    nodes: 1,
    accounts: settings.sessions,
    coalesceMs: settings.coalesceMs,
    scoring: true,
    model: { firstToken: 20, tokensPerSecond: 400, replyTokens: 30, stamp: false },
  });
  const driver = new LoadDriver(environment);
  try {
    const database = environment.database;
    if (!database) throw new Error("the cost run needs PostgreSQL");
    // Three scenarios of different families, each with its own persona prefix to hold steady.
    await driver.connect(settings.sessions, 100, ["price-objection", "frustrated-customer", "feedback-to-a-peer"]);
    await Promise.all(
      driver.learners.map(async (learner) => {
        for (let turn = 0; turn < settings.turns; turn++) await learner.takeTurn();
        await learner.endSession();
      }),
    );
    const ended = driver.learners.flatMap((learner) => learner.endedSessions);
    await scoringCounts(database, ended);
    return {
      cost: await costFigures(database, ended),
      personaRequests: environment.prefixes.personaRequests,
      distinctPrefixes: [...environment.prefixes.distinctPrefixes.values()].map((set) => set.size),
      prefixBytes: [...environment.prefixes.prefixBytes.values()],
      prefixTokens: environment.prefixes.prefixTokens,
    };
  } catch (error) {
    throw withServerOutput(error, environment.servers[0]?.output());
  } finally {
    driver.close();
    await environment.stop();
  }
}

function withServerOutput(error: unknown, output: string | undefined): Error {
  const failure = error instanceof Error ? error : new Error(String(error));
  if (output) failure.message += `\n--- the server's last output ---\n${output}`;
  return failure;
}
