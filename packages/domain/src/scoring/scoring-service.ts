import { parse } from "yaml";
import type { Library } from "../library/library.ts";
import { Rubric } from "../library/rubric-schema.ts";
import { scenarioForSession } from "../library/scenario-source.ts";
import type { Clock } from "../ports/clock.ts";
import { type ConversationMetrics, conversationMetrics } from "./conversation-metrics.ts";
import { timedTranscript } from "../practice/turn-speech.ts";
import { voiceMetrics } from "./voice-metrics.ts";
import type { SessionRecord } from "../practice/practice-store.ts";
import { evidenceProblems } from "./evidence-check.ts";
import { influenceAttempts, mergeInfluenceAttempts } from "./influence-attempts.ts";
import { draftScorecard, type ScorecardDraft } from "./scorecard.ts";
import type { ScoringClaim, ScoringStore, StoredScorecardMeta } from "./scoring-store.ts";
import { type ScoringContext, scoringContext, type TranscriptScorer } from "./transcript-scorer.ts";

export interface ScoringDeps {
  store: ScoringStore;
  scorer: TranscriptScorer;
  library: () => Library;
  clock: Clock;
  /** Tries per session before it is marked failed. */
  maxAttempts: number;
  /** Wait before retry n (1-based): base × 2^(n-1), at most `maxBackoffMs`. */
  backoffBaseMs: number;
  maxBackoffMs?: number;
  /** A claim not completed within this is taken over by another worker. */
  leaseMs: number;
}

export type ScoringStep =
  | { kind: "idle" }
  | { kind: "scored"; sessionId: string; scorecardId: string }
  /** Tried again from retryAt; null when the claim lapsed and another worker has the session. */
  | { kind: "retrying"; sessionId: string; error: string; retryAt: Date | null }
  | { kind: "failed"; sessionId: string; error: string };

const parsedRubrics = new Map<string, Rubric>();

/** A rubric by content hash: from the library when it still has that version, else from its kept source. */
export function rubricFor(library: Library, hash: string, source: string): Rubric {
  for (const entry of library.rubrics.values()) if (entry.contentHash === hash) return entry.value;
  let rubric = parsedRubrics.get(hash);
  if (!rubric) {
    rubric = Rubric.parse(parse(source));
    parsedRubrics.set(hash, rubric);
  }
  return rubric;
}

/** The wait after failed attempt `attempt` (1-based): doubling from `baseMs`, capped. */
export function backoffMs(attempt: number, baseMs: number, maxMs = Number.POSITIVE_INFINITY): number {
  return Math.min(baseMs * 2 ** (attempt - 1), maxMs);
}

/**
 * How many attempts it takes for the waits between them to cover `windowMs`: scoring keeps
 * trying through a provider outage of that long before it gives up.
 */
export function attemptsToCover(windowMs: number, baseMs: number, maxMs: number): number {
  let attempts = 1;
  for (let waited = 0; waited < windowMs; attempts++) waited += backoffMs(attempts, baseMs, maxMs);
  return attempts;
}

/** The brief and hidden facts of the scenario version the session was practised on. */
async function contextOf(library: Library, claim: ScoringClaim): Promise<ScoringContext | undefined> {
  const scenario = await scenarioForSession(library, claim.session.scenarioHash, async () => claim.scenarioSource);
  return scenario ? scoringContext(scenario) : undefined;
}

/** The voice metrics of a session the learner spoke in (at least one spoken turn); none for a typed one. */
export function spokenMetrics(session: Pick<SessionRecord, "turns" | "startedAt">): Partial<ConversationMetrics> {
  if (!session.turns.some((turn) => turn.speaker === "learner" && turn.speech)) return {};
  return voiceMetrics(timedTranscript(session.turns, session.startedAt));
}

/** What one scoring attempt concluded, before anything is stored. */
export type Assessment =
  | { ok: true; draft: ScorecardDraft; meta: StoredScorecardMeta }
  | { ok: false; message: string; retryable: boolean };

/**
 * Scores one claimed session and checks the answer against the evidence rules (evidence-check.ts).
 * An answer that breaks them is a fault of the scorer that trying again will not mend, so it is a
 * failure that is not retryable, with the problems as its message. Stores nothing: whoever holds
 * the claim stores the outcome, each queue engine in its own way.
 */
export async function assessClaim(deps: Pick<ScoringDeps, "scorer" | "library">, claim: ScoringClaim): Promise<Assessment> {
  const { scorer } = deps;
  const library = deps.library();
  const rubric = rubricFor(library, claim.rubricHash, claim.rubricSource);
  const transcript = claim.session.turns.map((turn) => ({
    seq: turn.seq,
    speaker: turn.speaker,
    text: turn.text,
    status: turn.status,
    interruption: turn.interruption,
    guarded: turn.guarded,
    acts: turn.acts,
  }));
  const metrics = { ...conversationMetrics(transcript), ...spokenMetrics(claim.session) };
  const result = await scorer.score(rubric, transcript, metrics, await contextOf(library, claim));
  if (!result.ok) return { ok: false, message: result.message, retryable: result.retryable };
  const problems = evidenceProblems(rubric, transcript, result.criteria);
  if (problems.length > 0) return { ok: false, message: `the ${scorer.kind} scorer's evidence broke the rules: ${problems.join("; ")}`, retryable: false };
  return {
    ok: true,
    draft: {
      ...draftScorecard(rubric, result.criteria, metrics),
      influenceAttempts: mergeInfluenceAttempts(influenceAttempts(transcript), result.influenceAttempts ?? []),
    },
    meta: { scorer: scorer.kind, model: scorer.model, rubricHash: claim.rubricHash, usage: result.usage },
  };
}

/** Whether a failed attempt is tried again: only a retryable failure, and only while attempts remain. */
export function retriesAfter(failure: { retryable: boolean }, attempt: number, maxAttempts: number): boolean {
  return failure.retryable && attempt < maxAttempts;
}

/**
 * Scores ended sessions one at a time by claiming them from the database: claim, assess, store;
 * on failure retry with backoff. The in-process queue of the embedded database runs on this; on
 * PostgreSQL the job queue holds the claim instead (apps/server/src/scoring).
 */
export class ScoringService {
  constructor(private readonly deps: ScoringDeps) {}

  async scoreNext(worker: string): Promise<ScoringStep> {
    const { store, clock } = this.deps;
    const claim = await store.claimNext(worker, clock.now(), this.deps.leaseMs);
    if (!claim) return { kind: "idle" };
    const sessionId = claim.session.id;
    const assessment = await assessClaim(this.deps, claim);
    if (assessment.ok) {
      const scorecardId = await store.complete(sessionId, worker, assessment.draft, assessment.meta, clock.now());
      if (scorecardId) return { kind: "scored", sessionId, scorecardId };
      return { kind: "retrying", sessionId, error: "the claim lapsed before the scorecard was stored", retryAt: null };
    }
    const retry = retriesAfter(assessment, claim.attempt, this.deps.maxAttempts);
    const retryAt = retry ? new Date(clock.now().getTime() + backoffMs(claim.attempt, this.deps.backoffBaseMs, this.deps.maxBackoffMs)) : null;
    await store.release(sessionId, worker, assessment.message, retryAt);
    return retryAt ? { kind: "retrying", sessionId, error: assessment.message, retryAt } : { kind: "failed", sessionId, error: assessment.message };
  }
}
