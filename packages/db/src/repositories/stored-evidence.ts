import type { Evidence, InfluenceAttempt } from "@spar/domain";

/**
 * Evidence as kept in a CriterionScore's JSON column. Scorecards stored before quotes carried a
 * stance read as supporting: every quote then was one the level rested on.
 */
export function storedEvidence(json: unknown): Evidence[] {
  if (!Array.isArray(json)) return [];
  return json.map((item: { turn: number; quote: string; stance?: Evidence["stance"] }) => ({
    turn: item.turn,
    quote: item.quote,
    stance: item.stance === "counts-against" ? "counts-against" : "supports",
  }));
}

/** Scorecard.influenceAttempts: sentences that addressed the assessor (none on scorecards stored before they were looked for). */
export function storedInfluenceAttempts(json: unknown): InfluenceAttempt[] {
  if (!Array.isArray(json)) return [];
  return json.map((item: InfluenceAttempt) => ({ turn: item.turn, quote: item.quote }));
}
