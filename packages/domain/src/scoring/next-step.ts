import type { Criterion, Rubric } from "../library/rubric-schema.ts";
import type { CriterionResult } from "./scorecard.ts";

/** "One thing to try next time": what to do on the weakest criterion, and where it would have fitted. */
export interface NextStep {
  criterionId: string;
  text: string;
  /** The learner's own turn that counted against the level: where the target behaviour belonged. */
  moment: { turn: number; quote: string } | null;
}

type TargetLevel = 2 | 3 | 4;

/** Quotes in the next step stay short: the scorecard's evidence list has the whole line. */
const momentWords = 20;

/**
 * The level to aim for and how to say it. An authored `try` is an instruction; without one, the
 * descriptor of a level that is not itself weak (3 or 4) stands in, because level 2 descriptors
 * describe half-done behaviour ("usually followed by but") that must never read as advice.
 */
function targetFor(criterion: Criterion, level: 1 | 2 | 3): { level: TargetLevel; instruction: string } {
  for (let target = level + 1; target <= 4; target++) {
    const authored = criterion.levels[String(target) as `${TargetLevel}`].try;
    if (authored) return { level: target as TargetLevel, instruction: authored.trim() };
  }
  const target = Math.max(level + 1, 3) as 3 | 4;
  return { level: target, instruction: `Aim for level ${target}: ${criterion.levels[String(target) as "3" | "4"].description.trim()}` };
}

/** The first words of a quote, cut at a word with an ellipsis when it is longer. */
export function shortQuote(quote: string, words = momentWords): string {
  const all = quote.trim().split(/\s+/);
  return all.length <= words ? all.join(" ") : `${all.slice(0, words).join(" ")} …`;
}

/**
 * The weakest criterion (lowest level, heaviest weight on a tie), the behaviour of the level
 * above it as an instruction, a line from the rubric that shows it, and the learner's turn that
 * counted against it. Every scorer's scorecard gets its next step from here, so the advice always
 * matches the rubric the learner can read.
 */
export function nextStepFor(rubric: Rubric, results: readonly CriterionResult[]): NextStep {
  const ranked = rubric.criteria
    .map((criterion) => ({ criterion, result: results.find((each) => each.criterionId === criterion.id) }))
    .sort((a, b) => (a.result?.level ?? 1) - (b.result?.level ?? 1) || b.criterion.weight - a.criterion.weight);
  const weakest = ranked[0];
  if (!weakest) return { criterionId: "", text: "", moment: null };
  const { criterion, result } = weakest;
  const level = result?.level ?? 1;
  if (level >= 4) {
    return { criterionId: criterion.id, text: `Keep doing what you did on ${criterion.title.toLowerCase()}; try a harder scenario next.`, moment: null };
  }
  const target = targetFor(criterion, level as 1 | 2 | 3);
  // Level 2 lines often show the flaw that keeps them at 2 ("I understand, but ..."), so the
  // example comes from level 3 at least.
  const example = criterion.levels[String(Math.max(target.level, 3)) as "3" | "4"].sounds_like.trim();
  const against = result?.evidence.find((each) => each.stance === "counts-against");
  return {
    criterionId: criterion.id,
    text: `${criterion.title}: ${target.instruction} For example: “${example}”`,
    moment: against ? { turn: against.turn, quote: shortQuote(against.quote) } : null,
  };
}
