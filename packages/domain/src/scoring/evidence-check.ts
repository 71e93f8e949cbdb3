import { normaliseText } from "../conversation/phrases.ts";
import type { Rubric } from "../library/rubric-schema.ts";
import type { ScoredTurn } from "./conversation-metrics.ts";
import type { CriterionResult } from "./scorecard.ts";

/**
 * Problems with a judge's scores: a criterion missing or unknown, or a quote that is not, word
 * for word, in the turn it names. A score whose evidence is not in the transcript is not stored.
 */
export function evidenceProblems(rubric: Rubric, transcript: readonly ScoredTurn[], results: readonly CriterionResult[]): string[] {
  const problems: string[] = [];
  const ids = rubric.criteria.map((criterion) => criterion.id);
  for (const id of ids) {
    const count = results.filter((result) => result.criterionId === id).length;
    if (count !== 1) problems.push(`criterion ${id} must be scored exactly once (found ${count})`);
  }
  for (const result of results) {
    if (!ids.includes(result.criterionId)) problems.push(`${result.criterionId} is not a criterion of this rubric`);
    for (const { turn, quote } of result.evidence) {
      const text = transcript.find((each) => each.seq === turn)?.text;
      if (text === undefined) problems.push(`${result.criterionId}: there is no turn ${turn}`);
      else if (quote.trim() === "" || !normaliseText(text).includes(normaliseText(quote))) {
        problems.push(`${result.criterionId}: turn ${turn} does not contain the quote "${quote}"`);
      }
    }
  }
  return problems;
}
