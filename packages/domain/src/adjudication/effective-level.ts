import type { Rubric } from "../library/rubric-schema.ts";
import type { HistorySession } from "../scoring/learner-history.ts";
import { type CriterionResult, overallLevel } from "../scoring/scorecard.ts";

export type Level = CriterionResult["level"];

/** What deciding which override is in force needs to know of each one. */
export interface SequencedOverride {
  /** 1, 2, 3 ... per scorecard and criterion, in the order the overrides were written. */
  seq: number;
  level: number;
}

export function isLevel(value: number): value is Level {
  return value === 1 || value === 2 || value === 3 || value === 4;
}

/**
 * The override in force among one criterion's overrides: the newest, by its seq. Seqs are given
 * under a lock and are unique per criterion, so two overrides that raced still have one winner.
 */
export function overrideInForce<Override extends SequencedOverride>(overrides: readonly Override[]): Override | null {
  let newest: Override | null = null;
  for (const override of overrides) if (!newest || override.seq > newest.seq) newest = override;
  return newest;
}

/**
 * The one rule every view of a score follows: a criterion's level is the latest manager override
 * of it, else what the scorer gave.
 */
export function effectiveLevel(scorerLevel: number, overrides: readonly SequencedOverride[]): Level {
  const level = overrideInForce(overrides)?.level ?? scorerLevel;
  if (!isLevel(level)) throw new RangeError(`a criterion level must be 1 to 4, not ${level}`);
  return level;
}

export interface AdjudicatedCriterion {
  criterionId: string;
  competency: string;
  scorerLevel: number;
  overrides: readonly SequencedOverride[];
}

/** The session's score in brief (PracticeSession.latestScore), as history and the team views read it. */
export type ScoreInBrief = NonNullable<HistorySession["latest"]>;

/**
 * A scorecard's overall and pass with the levels in force: the weighted mean of the effective
 * levels against the rubric's pass mark, exactly as the scorer's own overall is worked out, so
 * an override moves the overall the way the same level from the scorer would have.
 */
export function effectiveScore(rubric: Rubric, scorer: ScoreInBrief["scorer"], criteria: readonly AdjudicatedCriterion[]): ScoreInBrief {
  const levels = criteria.map((criterion) => ({
    criterionId: criterion.criterionId,
    competency: criterion.competency,
    level: effectiveLevel(criterion.scorerLevel, criterion.overrides),
  }));
  const overall = overallLevel(rubric, levels);
  return {
    overall,
    passed: overall >= rubric.pass_mark,
    scorer,
    criteria: levels.map(({ competency, level }) => ({ competency, level })),
  };
}
