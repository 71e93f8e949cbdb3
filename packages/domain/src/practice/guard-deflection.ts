import type { PersonaState } from "../conversation/persona-state.ts";
import type { Scenario } from "../library/scenario-schema.ts";

/** For a scenario with no line of its own for a learner who tries to step outside the role-play. */
const standardDeflections = [
  "I'd rather not get into that. Can we get back to what we were talking about?",
  "Hm, let's leave that. Where were we?",
  "That's not something I want to go into. What did you want to ask me?",
];

/**
 * What the persona says instead of a reply the guard cut. Every shipped scenario has a rule for
 * a learner who tries to take the persona out of the role-play; its lines are written in the
 * persona's own voice and bring the talk back to the topic, which is what a cut reply needs
 * too. The line is picked by the learner's turn number, so the same session always gets the
 * same line and two cuts in a row do not repeat it.
 */
export function guardDeflection(scenario: Scenario, state: PersonaState): string {
  const ownLines = scenario.rules.find((rule) => rule.match.acts?.includes("steering") && !rule.reveals && !rule.ends_conversation)?.replies;
  const lines = ownLines && ownLines.length > 0 ? ownLines : standardDeflections;
  return lines[state.learnerTurns % lines.length] ?? standardDeflections[0] ?? "";
}
