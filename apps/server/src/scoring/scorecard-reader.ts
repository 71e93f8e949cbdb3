import type { PrismaScoringStore } from "@spar/db";
import { type Library, rubricFor, scorecardView } from "@spar/domain";
import type { ScorecardView } from "@spar/protocol";

/** Every scorecard of a session, newest first, each explained with the rubric version it used. */
export async function scorecardViews(store: PrismaScoringStore, library: Library, sessionId: string): Promise<ScorecardView[]> {
  const stored = await store.scorecards(sessionId);
  return stored.map((scorecard) => scorecardView(scorecard, rubricFor(library, scorecard.rubric.contentHash, scorecard.rubricSource)));
}
