import type { ScorecardView } from "@spar/protocol";
import type { Rubric } from "../library/rubric-schema.ts";
import type { InfluenceAttempt } from "./influence-attempts.ts";
import type { CriterionResult } from "./scorecard.ts";

export interface StoredScorecard {
  id: string;
  sessionId: string;
  scorer: "offline" | "llm";
  model: string | null;
  rubric: { id: string; version: number; contentHash: string };
  overall: number;
  passed: boolean;
  nextStep: string;
  nextStepCriterionId: string;
  nextStepMoment: { turn: number; quote: string } | null;
  criteria: CriterionResult[];
  metrics: Record<string, number>;
  influenceAttempts: InfluenceAttempt[];
  createdAt: Date;
}

/** A stored scorecard with the rubric's words for each level, as the learner and manager see it. */
export function scorecardView(stored: StoredScorecard, rubric: Rubric): ScorecardView {
  return {
    id: stored.id,
    sessionId: stored.sessionId,
    scorer: stored.scorer,
    model: stored.model,
    rubric: { ...stored.rubric, title: rubric.title },
    overall: stored.overall,
    passMark: rubric.pass_mark,
    passed: stored.passed,
    nextStep: { criterionId: stored.nextStepCriterionId, text: stored.nextStep, moment: stored.nextStepMoment },
    criteria: rubric.criteria.flatMap((criterion) => {
      const result = stored.criteria.find((each) => each.criterionId === criterion.id);
      if (!result) return [];
      const key = String(result.level) as "1" | "2" | "3" | "4";
      return [{
        criterionId: criterion.id,
        title: criterion.title,
        competency: rubric.competency,
        weight: criterion.weight,
        level: result.level,
        levelLabel: rubric.scale[key],
        levelDescription: criterion.levels[key].description.trim(),
        rationale: result.rationale,
        evidence: result.evidence,
        sampleLevels: result.sampleLevels ?? [],
      }];
    }),
    metrics: stored.metrics,
    flags: stored.influenceAttempts.map(({ turn, quote }) => ({ kind: "influence-attempt" as const, turn, quote })),
    createdAt: stored.createdAt.toISOString(),
  };
}
