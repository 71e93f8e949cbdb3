import type { DialogueAct } from "../library/dialogue-acts.ts";
import type { Criterion, Rubric } from "../library/rubric-schema.ts";
import { containsAnyPhrase } from "../conversation/phrases.ts";
import { actsOf, type ConversationMetrics, type ScoredTurn } from "./conversation-metrics.ts";
import type { CriterionResult, Evidence } from "./scorecard.ts";

type TurnIndicator = { acts?: readonly DialogueAct[] | undefined; any_words?: readonly string[] | undefined; points: number };

// Each indicator counts for at most this many learner turns, so one habit repeated cannot carry a level.
const maxTurnsPerIndicator = 2;

function matches(indicator: TurnIndicator, turn: ScoredTurn): boolean {
  if (indicator.acts && !indicator.acts.some((act) => actsOf(turn).includes(act))) return false;
  if (indicator.any_words && !containsAnyPhrase(turn.text, indicator.any_words)) return false;
  return true;
}

function describeIndicator(indicator: TurnIndicator): string {
  const parts = [indicator.acts?.join(" or "), indicator.any_words ? `“${indicator.any_words.slice(0, 2).join("”, “")}”…` : undefined];
  return parts.filter(Boolean).join(" with ");
}

/** The quote for a turn: the whole turn when short, else its first sentences up to ~200 characters. */
export function quoteOf(text: string): string {
  if (text.length <= 200) return text;
  const cut = text.slice(0, 200);
  const end = Math.max(cut.lastIndexOf(". "), cut.lastIndexOf("? "), cut.lastIndexOf("! "));
  return end > 40 ? cut.slice(0, end + 1) : cut;
}

/**
 * Scores one criterion from its indicators: points from matching learner turns and metrics,
 * thresholds turn points into a level, and the turns that earned or cost points are the evidence.
 */
export function scoreCriterionOffline(criterion: Criterion, transcript: readonly ScoredTurn[], metrics: ConversationMetrics): CriterionResult {
  const indicators = criterion.indicators;
  const learnerTurns = transcript.filter((turn) => turn.speaker === "learner");
  let points = 0;
  const reasons: string[] = [];
  const earned: Evidence[] = [];
  const cost: Evidence[] = [];
  for (const [sign, list] of [[1, indicators?.positive ?? []], [-1, indicators?.negative ?? []]] as const) {
    for (const indicator of list) {
      const hits = learnerTurns.filter((turn) => matches(indicator, turn)).slice(0, maxTurnsPerIndicator);
      if (hits.length === 0) continue;
      points += sign * indicator.points * hits.length;
      reasons.push(`${sign > 0 ? "+" : "−"}${indicator.points * hits.length} ${describeIndicator(indicator)} (${hits.length}×)`);
      (sign > 0 ? earned : cost).push(...hits.map((turn) => ({ turn: turn.seq, quote: quoteOf(turn.text), stance: sign > 0 ? ("supports" as const) : ("counts-against" as const) })));
    }
  }
  for (const indicator of indicators?.metrics ?? []) {
    const value = metrics[indicator.metric];
    if ((indicator.at_least === undefined || value >= indicator.at_least) && (indicator.at_most === undefined || value <= indicator.at_most)) {
      points += indicator.points;
      reasons.push(`+${indicator.points} ${indicator.metric} ${value}`);
    }
  }
  const thresholds = indicators?.thresholds ?? [1, 3, 5];
  const level = (1 + thresholds.filter((threshold) => points >= threshold).length) as 1 | 2 | 3 | 4;
  // Strong work is shown by what earned points, weak work by what cost them.
  const pool = level >= 3 ? [...earned, ...cost] : [...cost, ...earned];
  const evidence = uniqueByTurn(pool).slice(0, 3);
  const rationale = reasons.length > 0 ? `${points} point(s) from ${reasons.join(", ")}.` : "No sign of this in the conversation.";
  return { criterionId: criterion.id, level, rationale, evidence };
}

function uniqueByTurn(evidence: Evidence[]): Evidence[] {
  const seen = new Set<number>();
  return evidence.filter((item) => !seen.has(item.turn) && seen.add(item.turn)).sort((a, b) => a.turn - b.turn);
}

export function scoreOffline(rubric: Rubric, transcript: readonly ScoredTurn[], metrics: ConversationMetrics): CriterionResult[] {
  return rubric.criteria.map((criterion) => scoreCriterionOffline(criterion, transcript, metrics));
}
