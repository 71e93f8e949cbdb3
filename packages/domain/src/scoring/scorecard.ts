import type { Rubric } from "../library/rubric-schema.ts";
import type { ConversationMetrics, ScoredTurn } from "./conversation-metrics.ts";
import { type NextStep, nextStepFor } from "./next-step.ts";

export { type NextStep, nextStepFor } from "./next-step.ts";
import type { InfluenceAttempt } from "./influence-attempts.ts";

/** Whether a quote is why the criterion reached its level, or what held it back. */
export type EvidenceStance = "supports" | "counts-against";

export interface Evidence {
  turn: number;
  quote: string;
  stance: EvidenceStance;
}

export interface CriterionResult {
  criterionId: string;
  level: 1 | 2 | 3 | 4;
  rationale: string;
  evidence: Evidence[];
  /** The level each judge sample gave, in sample order, when the judge was sampled more than once. */
  sampleLevels?: number[];
}

export interface ScorecardDraft {
  overall: number;
  passed: boolean;
  nextStep: NextStep;
  criteria: CriterionResult[];
  metrics: ConversationMetrics;
  /** Sentences in learner turns that addressed the assessor or asked for marks. */
  influenceAttempts: InfluenceAttempt[];
}

/** Weighted average level, rounded to two decimals. */
export function overallLevel(rubric: Rubric, results: readonly Pick<CriterionResult, "criterionId" | "level">[]): number {
  let weighted = 0;
  let weights = 0;
  for (const criterion of rubric.criteria) {
    const result = results.find((each) => each.criterionId === criterion.id);
    if (!result) continue;
    weighted += result.level * criterion.weight;
    weights += criterion.weight;
  }
  return weights === 0 ? 0 : Math.round((weighted / weights) * 100) / 100;
}

/** The next step comes from the rubric for every scorer, so it always names a behaviour to do. */
export function draftScorecard(rubric: Rubric, results: CriterionResult[], metrics: ConversationMetrics): Omit<ScorecardDraft, "influenceAttempts"> {
  const overall = overallLevel(rubric, results);
  return { overall, passed: overall >= rubric.pass_mark, nextStep: nextStepFor(rubric, results), criteria: results, metrics };
}

export type { ScoredTurn };
