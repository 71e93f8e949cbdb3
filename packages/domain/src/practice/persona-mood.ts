import type { PersonaMood } from "@spar/protocol";
import type { PersonaState } from "../conversation/persona-state.ts";
import type { Scenario } from "../library/scenario-schema.ts";

/** The part of the persona's state a learner may be shown: trust and resistance, 0 to 10 each. */
export const moodOf = (state: PersonaState): PersonaMood => ({ trust: state.trust, resistance: state.resistance });

/**
 * Whether the learner is shown the persona's mood. It is a training aid the scenario turns on
 * (`show_mood`), and never part of an assessment: there it would tell the learner how they are
 * doing while they are being assessed, so it is not sent at all.
 */
export const showsMood = (scenario: Pick<Scenario, "show_mood" | "assessment">): boolean =>
  scenario.show_mood && scenario.assessment === undefined;

/** A stored mood as the learner may see it on this scenario: nothing where mood is not shown. */
export function visibleMood(scenario: Pick<Scenario, "show_mood" | "assessment">, mood: PersonaMood | null): PersonaMood | undefined {
  return showsMood(scenario) && mood ? mood : undefined;
}
