import { learnerWorkAccess, mayCommentOnTranscript, mayOverrideLevels, mayReadOverrides, type Viewer } from "../access/access-policy.ts";
import type { Library } from "../library/library.ts";
import { rubricFor } from "../scoring/scoring-service.ts";
import type { TeamDirectory } from "../teams/team-directory.ts";
import { checkLevelOverride, checkTurnComment } from "./adjudication-rules.ts";
import type {
  AdjudicationStore,
  CommentDecision,
  CommentFacts,
  CommentWriteResult,
  LevelOverrideRecord,
  OverrideDecision,
  OverrideFacts,
  OverrideWriteResult,
  TurnCommentRecord,
} from "./adjudication-store.ts";
import { effectiveLevel, effectiveScore, type Level, overrideInForce } from "./effective-level.ts";

export interface AdjudicationDeps {
  store: AdjudicationStore;
  teams: TeamDirectory;
  library: () => Library;
}

type Invalid = { ok: false; reason: "invalid"; field: string; problem: string };
type Read<Value> = { ok: true; value: Value } | { ok: false; reason: "not-found" | "forbidden" };

/** Decides one override against the facts read under the session's lock. */
export function decideOverride(
  facts: OverrideFacts,
  wanted: { criterionId: string; level: Level; reason: string },
  library: Library,
): OverrideDecision {
  if (!facts.actor || !mayOverrideLevels(facts.actor, facts.learnerId, facts.managersOfLearner)) return { ok: false, reason: "forbidden" };
  const criterion = facts.criteria.find((each) => each.criterionId === wanted.criterionId);
  if (!criterion) return { ok: false, reason: "criterion-not-found" };
  const current = effectiveLevel(criterion.scorerLevel, criterion.overrides);
  if (current === wanted.level) return { ok: false, reason: "unchanged" };
  const seq = Math.max(0, ...criterion.overrides.map((override) => override.seq)) + 1;
  const added = { seq, level: wanted.level };
  const latestScore = facts.newest
    ? effectiveScore(
        rubricFor(library, facts.rubric.contentHash, facts.rubric.source),
        facts.scorer,
        facts.criteria.map((each) => (each === criterion ? { ...each, overrides: [...each.overrides, added] } : each)),
      )
    : null;
  return {
    ok: true,
    override: { criterionId: criterion.criterionId, seq, scorerLevel: criterion.scorerLevel, level: wanted.level, reason: wanted.reason },
    latestScore,
    audit: {
      actorId: facts.actor.id,
      action: "score.overridden",
      subjectUserId: facts.learnerId,
      resourceType: "scorecard",
      resourceId: facts.scorecardId,
      details: { criterionId: criterion.criterionId, from: current, to: wanted.level, scorerLevel: criterion.scorerLevel },
    },
  };
}

/** Decides one comment against the facts read under the session's lock. */
export function decideComment(facts: CommentFacts, wanted: { turn: number; body: string }): CommentDecision {
  if (!facts.actor || !mayCommentOnTranscript(facts.actor, facts.learnerId, facts.managersOfLearner)) return { ok: false, reason: "forbidden" };
  if (!facts.turnExists) return { ok: false, reason: "turn-not-found" };
  return {
    ok: true,
    comment: wanted,
    audit: {
      actorId: facts.actor.id,
      action: "turn.commented",
      subjectUserId: facts.learnerId,
      resourceType: "practice-session",
      resourceId: facts.sessionId,
      details: { turn: wanted.turn },
    },
  };
}

/**
 * Manager adjudication: a person's manager (or L&D) sets a criterion of a scorecard to another
 * level with a reason, and comments on turns of the transcript. Every override is kept; the
 * newest of a criterion is the level in force everywhere a score is shown or counted.
 */
export class ScoreAdjudication {
  constructor(private readonly deps: AdjudicationDeps) {}

  async overrideLevel(
    viewer: Viewer,
    scorecardId: string,
    criterionId: string,
    input: { level: number; reason: string },
  ): Promise<OverrideWriteResult | Invalid> {
    const checked = checkLevelOverride(input);
    if (!checked.ok) return { ok: false, reason: "invalid", field: checked.field, problem: checked.problem };
    const library = this.deps.library();
    return this.deps.store.overrideLevel(scorecardId, viewer.id, (facts) => decideOverride(facts, { criterionId, ...checked.value }, library));
  }

  async overrideHistory(viewer: Viewer, scorecardId: string): Promise<Read<(LevelOverrideRecord & { inForce: boolean })[]>> {
    const found = await this.deps.store.overridesOf(scorecardId);
    if (!found) return { ok: false, reason: "not-found" };
    if (!mayReadOverrides(viewer, found.learnerId, await this.deps.teams.managersOf(found.learnerId))) return { ok: false, reason: "forbidden" };
    return { ok: true, value: withInForce(found.overrides).reverse() };
  }

  async commentOnTurn(viewer: Viewer, sessionId: string, input: { turn: number; body: string }): Promise<CommentWriteResult | Invalid> {
    const checked = checkTurnComment(input);
    if (!checked.ok) return { ok: false, reason: "invalid", field: checked.field, problem: checked.problem };
    return this.deps.store.commentOnTurn(sessionId, checked.value.turn, viewer.id, (facts) => decideComment(facts, checked.value));
  }

  /** The comments on a session's turns, for the person and their managers (who read the transcript too). */
  async comments(viewer: Viewer, sessionId: string): Promise<Read<TurnCommentRecord[]>> {
    const found = await this.deps.store.commentsOf(sessionId);
    if (!found) return { ok: false, reason: "not-found" };
    if (learnerWorkAccess(viewer, found.learnerId, await this.deps.teams.managersOf(found.learnerId)) === "denied") return { ok: false, reason: "forbidden" };
    return { ok: true, value: found.comments };
  }
}

/** Marks the override in force of each criterion. */
export function withInForce(overrides: readonly LevelOverrideRecord[]): (LevelOverrideRecord & { inForce: boolean })[] {
  const inForce = new Set<LevelOverrideRecord>();
  for (const criterionId of new Set(overrides.map((override) => override.criterionId))) {
    const found = overrideInForce(overrides.filter((override) => override.criterionId === criterionId));
    if (found) inForce.add(found);
  }
  return overrides.map((override) => ({ ...override, inForce: inForce.has(override) }));
}
