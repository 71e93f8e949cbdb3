import { parse } from "yaml";
import type { Library } from "../library/library.ts";
import { Rubric } from "../library/rubric-schema.ts";
import { scenarioForSession } from "../library/scenario-source.ts";
import type { Clock } from "../ports/clock.ts";
import { conversationMetrics } from "./conversation-metrics.ts";
import { evidenceProblems } from "./evidence-check.ts";
import { influenceAttempts, mergeInfluenceAttempts } from "./influence-attempts.ts";
import { draftScorecard, type ScorecardDraft } from "./scorecard.ts";
import type { ScoringClaim, ScoringStore } from "./scoring-store.ts";
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
  | { kind: "retrying"; sessionId: string; error: string }
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

/**
 * Scores ended sessions one at a time: claim, score, check the evidence, store; on failure retry
 * with backoff. Every scorer's answer meets the evidence rules (evidence-check.ts) before it is
 * stored: one that does not is a fault of the scorer that trying again will not mend, so the
 * attempt fails for good with the problems as its error.
 */
export class ScoringService {
  constructor(private readonly deps: ScoringDeps) {}

  async scoreNext(worker: string): Promise<ScoringStep> {
    const { store, scorer, clock } = this.deps;
    const claim = await store.claimNext(worker, clock.now(), this.deps.leaseMs);
    if (!claim) return { kind: "idle" };
    const sessionId = claim.session.id;
    const library = this.deps.library();
    const rubric = rubricFor(library, claim.rubricHash, claim.rubricSource);
    const transcript = claim.session.turns.map((turn) => ({ seq: turn.seq, speaker: turn.speaker, text: turn.text, status: turn.status, acts: turn.acts }));
    const metrics = conversationMetrics(transcript);
    const result = await scorer.score(rubric, transcript, metrics, await contextOf(library, claim));
    const problems = result.ok ? evidenceProblems(rubric, transcript, result.criteria) : [];
    if (result.ok && problems.length === 0) {
      const draft: ScorecardDraft = {
        ...draftScorecard(rubric, result.criteria, metrics),
        influenceAttempts: mergeInfluenceAttempts(influenceAttempts(transcript), result.influenceAttempts ?? []),
      };
      const scorecardId = await store.complete(sessionId, worker, draft, { scorer: scorer.kind, model: scorer.model, rubricHash: claim.rubricHash, usage: result.usage }, clock.now());
      if (scorecardId) return { kind: "scored", sessionId, scorecardId };
      return { kind: "retrying", sessionId, error: "the claim lapsed before the scorecard was stored" };
    }
    const failure = result.ok
      ? { message: `the ${scorer.kind} scorer's evidence broke the rules: ${problems.join("; ")}`, retryable: false }
      : { message: result.message, retryable: result.retryable };
    const retry = failure.retryable && claim.attempt < this.deps.maxAttempts;
    const retryAt = retry ? new Date(clock.now().getTime() + backoffMs(claim.attempt, this.deps.backoffBaseMs, this.deps.maxBackoffMs)) : null;
    await store.release(sessionId, worker, failure.message, retryAt);
    return retry ? { kind: "retrying", sessionId, error: failure.message } : { kind: "failed", sessionId, error: failure.message };
  }
}
