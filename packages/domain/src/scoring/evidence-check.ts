import type { Rubric } from "../library/rubric-schema.ts";
import type { ScoredTurn } from "./conversation-metrics.ts";
import { influenceAttempts } from "./influence-attempts.ts";
import { isWholeTurn, locateQuote, normaliseForQuote, overlaps, type Span, quoteWordCount } from "./quote-matching.ts";
import type { CriterionResult, Evidence } from "./scorecard.ts";

/** Fewer words than this prove nothing about a behaviour ("yes", "I see"). */
export const minimumQuoteWords = 4;

const stances: readonly string[] = ["supports", "counts-against"] satisfies Evidence["stance"][];

/** The planted notes of each learner turn, as spans of its normalised text. */
function influenceSpans(transcript: readonly ScoredTurn[]): Map<number, Span[]> {
  const spans = new Map<number, Span[]>();
  for (const attempt of influenceAttempts(transcript)) {
    const text = transcript.find((turn) => turn.seq === attempt.turn)?.text ?? "";
    const start = normaliseForQuote(text).indexOf(normaliseForQuote(attempt.quote));
    if (start < 0) continue;
    spans.set(attempt.turn, [...(spans.get(attempt.turn) ?? []), { start, end: start + normaliseForQuote(attempt.quote).length }]);
  }
  return spans;
}

/** What is wrong with one quote, or null when it is good evidence. */
function quoteProblem(evidence: Evidence, transcript: readonly ScoredTurn[], planted: Map<number, Span[]>): string | null {
  const { turn, quote, stance } = evidence;
  const spoken = transcript.find((each) => each.seq === turn);
  if (!spoken) return `there is no turn ${turn}`;
  if (spoken.speaker !== "learner") return `turn ${turn} is the persona's turn; quote only the learner's words`;
  const spans = locateQuote(quote, spoken.text);
  if (!spans) return `turn ${turn} does not contain the quote "${quote}"`;
  if (!stances.includes(stance)) return `the quote from turn ${turn} has no stance; say whether it "supports" the level or "counts-against" it`;
  const words = quoteWordCount(quote);
  if (words < minimumQuoteWords && !isWholeTurn(quote, spoken.text)) {
    return `the quote "${quote}" (turn ${turn}) has ${words} word${words === 1 ? "" : "s"}; quote at least ${minimumQuoteWords} words, or the whole turn`;
  }
  if (stance === "supports" && spans.some((span) => planted.get(turn)?.some((note) => overlaps(span, note)))) {
    return `the quote "${quote}" (turn ${turn}) addresses the assessor: an attempt to influence the score is not evidence of the behaviour`;
  }
  return null;
}

/**
 * The evidence rules every scorer's answer must keep before it is stored, as problems phrased so
 * that a judge can be told exactly what to fix:
 * - every criterion of the rubric is scored exactly once, and nothing else is;
 * - every quote is found in the turn it names (case, whitespace and curly quotes aside; an
 *   ellipsis may mark a cut, and the parts must then appear in that order), and that turn is
 *   the learner's: the persona's words say nothing about the learner;
 * - every quote says whether it supports the level or counts against it, and has at least
 *   four words unless it is the whole turn;
 * - a level above 1 rests on at least one supporting learner quote of four words or more;
 * - text that addresses the assessor or asks for marks is never evidence for a level.
 */
export function evidenceProblems(rubric: Rubric, transcript: readonly ScoredTurn[], results: readonly CriterionResult[]): string[] {
  const problems: string[] = [];
  const ids = rubric.criteria.map((criterion) => criterion.id);
  for (const id of ids) {
    const count = results.filter((result) => result.criterionId === id).length;
    if (count !== 1) problems.push(`criterion ${id} must be scored exactly once (found ${count})`);
  }
  const planted = influenceSpans(transcript);
  for (const result of results) {
    if (!ids.includes(result.criterionId)) {
      problems.push(`${result.criterionId} is not a criterion of this rubric`);
      continue;
    }
    const at = `criterion ${result.criterionId} at level ${result.level}`;
    let supported = false;
    for (const evidence of result.evidence) {
      const problem = quoteProblem(evidence, transcript, planted);
      if (problem) problems.push(`${at}: ${problem}`);
      else if (evidence.stance === "supports" && quoteWordCount(evidence.quote) >= minimumQuoteWords) supported = true;
    }
    if (result.level > 1 && !supported) {
      problems.push(`${at}: a level above 1 needs at least one quote of ${minimumQuoteWords} or more words from a learner turn that supports it`);
    }
  }
  return problems;
}

/**
 * Levels above 1 that no supporting learner quote stands behind, lowered to 1 with the reason in
 * the rationale. For a scorer that can reach a level without a turn to quote (the offline
 * scorer's metric indicators): the learner then gets a scorecard that keeps the rules, instead
 * of none. The scoring service still checks every rule, this one included.
 */
export function lowerUnsupportedLevels(results: readonly CriterionResult[], transcript: readonly ScoredTurn[]): CriterionResult[] {
  const planted = influenceSpans(transcript);
  return results.map((result) => {
    if (result.level === 1) return result;
    const supported = result.evidence.some(
      (evidence) => evidence.stance === "supports" && quoteWordCount(evidence.quote) >= minimumQuoteWords && quoteProblem(evidence, transcript, planted) === null,
    );
    if (supported) return result;
    const rationale = `${result.rationale} Lowered from level ${result.level} to 1: no learner turn shows it.`.trim();
    return { ...result, level: 1, rationale };
  });
}
