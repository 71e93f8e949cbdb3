import type { ScorecardView } from "@spar/protocol";
import type { Rubric } from "../library/rubric-schema.ts";
import type { LevelOverrideRecord } from "./adjudication-store.ts";
import { effectiveLevel, effectiveScore, overrideInForce } from "./effective-level.ts";

/**
 * A scorecard as people see it once a manager has adjudicated it: each criterion shows the level
 * in force with the scorer's level beside it, and the overall and pass follow the levels in force
 * (the scorer's own overall stays on the view as `scorerOverall`). A scorecard nobody overrode
 * comes back with only `scorerLevel` added.
 */
export function adjudicatedScorecard(view: ScorecardView, rubric: Rubric, overrides: readonly LevelOverrideRecord[]): ScorecardView {
  const own = overrides.filter((override) => override.scorecardId === view.id);
  const criteria = view.criteria.map((criterion) => {
    const ofCriterion = own.filter((override) => override.criterionId === criterion.criterionId);
    const inForce = overrideInForce(ofCriterion);
    const scorerLevel = criterion.scorerLevel ?? criterion.level;
    if (!inForce) return { ...criterion, scorerLevel, override: null };
    const level = effectiveLevel(scorerLevel, ofCriterion);
    const key = String(level) as "1" | "2" | "3" | "4";
    const described = rubric.criteria.find((each) => each.id === criterion.criterionId)?.levels[key].description.trim();
    return {
      ...criterion,
      level,
      levelLabel: rubric.scale[key],
      levelDescription: described ?? criterion.levelDescription,
      scorerLevel,
      override: {
        level,
        levelLabel: rubric.scale[key],
        reason: inForce.reason,
        by: inForce.author,
        at: inForce.createdAt.toISOString(),
      },
    };
  });
  if (own.length === 0) return { ...view, criteria };
  const score = effectiveScore(
    rubric,
    view.scorer,
    criteria.map((criterion) => ({
      criterionId: criterion.criterionId,
      competency: criterion.competency,
      scorerLevel: criterion.scorerLevel,
      overrides: own.filter((override) => override.criterionId === criterion.criterionId),
    })),
  );
  return { ...view, criteria, overall: score.overall, passed: score.passed, scorerOverall: view.overall, scorerPassed: view.passed };
}
