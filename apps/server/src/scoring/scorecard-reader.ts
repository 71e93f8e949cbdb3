import type { PrismaAdjudications, PrismaScoringStore } from "@spar/db";
import { adjudicatedScorecard, type Library, rubricFor, scorecardView } from "@spar/domain";
import type { ScorecardView } from "@spar/protocol";

/**
 * Every scorecard of a session, newest first, each explained with the rubric version it used and
 * showing the levels in force beside the scorer's where a manager overrode one.
 */
export async function scorecardViews(
  store: PrismaScoringStore,
  library: Library,
  sessionId: string,
  adjudications: PrismaAdjudications,
): Promise<ScorecardView[]> {
  const stored = await store.scorecards(sessionId);
  const overrides = await adjudications.overridesOfScorecards(stored.map((scorecard) => scorecard.id));
  return stored.map((scorecard) => {
    const rubric = rubricFor(library, scorecard.rubric.contentHash, scorecard.rubricSource);
    return adjudicatedScorecard(scorecardView(scorecard, rubric), rubric, overrides);
  });
}
