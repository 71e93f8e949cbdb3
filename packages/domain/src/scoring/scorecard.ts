import type { Rubric } from "../library/rubric-schema.ts";
import type { ConversationMetrics, ScoredTurn } from "./conversation-metrics.ts";

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
}

export interface ScorecardDraft {
  overall: number;
  passed: boolean;
  nextStep: { criterionId: string; text: string };
  criteria: CriterionResult[];
  metrics: ConversationMetrics;
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

/** The weakest criterion (lowest level, heaviest weight on a tie) and what the next level sounds like. */
export function nextStepFor(rubric: Rubric, results: readonly CriterionResult[]): { criterionId: string; text: string } {
  const ranked = rubric.criteria
    .map((criterion) => ({ criterion, level: results.find((each) => each.criterionId === criterion.id)?.level ?? 1 }))
    .sort((a, b) => a.level - b.level || b.criterion.weight - a.criterion.weight);
  const weakest = ranked[0];
  if (!weakest) return { criterionId: "", text: "" };
  const { criterion, level } = weakest;
  if (level >= 4) return { criterionId: criterion.id, text: `Keep doing what you did on ${criterion.title.toLowerCase()}; try a harder scenario next.` };
  const next = criterion.levels[String(level + 1) as "2" | "3" | "4"];
  return {
    criterionId: criterion.id,
    text: `${criterion.title}: ${next.description.trim()} For example: “${next.sounds_like.trim()}”`,
  };
}

export function draftScorecard(
  rubric: Rubric,
  results: CriterionResult[],
  metrics: ConversationMetrics,
  nextStep?: { criterionId: string; text: string },
): ScorecardDraft {
  const overall = overallLevel(rubric, results);
  return { overall, passed: overall >= rubric.pass_mark, nextStep: nextStep ?? nextStepFor(rubric, results), criteria: results, metrics };
}

export type { ScoredTurn };
