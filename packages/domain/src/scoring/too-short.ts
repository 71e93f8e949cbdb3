import { minLearnerTurnsToScore } from "@spar/protocol";

/**
 * A conversation with fewer learner turns than this is not scored: one line gives a scorer
 * nothing to judge (and an empty one would be marked as never having blamed anyone), and such a
 * score would be noise in trends and briefs. It is not an assessment attempt either. The practice
 * store applies the rule in the statement that ends a session, under the session's row lock.
 */
export { minLearnerTurnsToScore };

/** What the learner reads where a scorecard would be. */
export const tooShortMessage = `Not scored: too short. A conversation needs at least ${minLearnerTurnsToScore} of your messages to be scored; this one does not count as an attempt.`;

/** What the learner reads where a scorecard would be, for a conversation they discarded. */
export const discardedMessage = "Not scored: you discarded this conversation. It does not count towards your history's trends.";
