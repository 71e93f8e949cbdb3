import { z } from "zod";
import type { Scenario } from "../library/scenario-schema.ts";

/**
 * What the persona carries between turns. Stored with the session after every turn, so any
 * server process can continue the conversation exactly where it was.
 */
export const PersonaState = z.object({
  trust: z.number().int().min(0).max(10),
  resistance: z.number().int().min(0).max(10),
  revealed: z.array(z.string()),
  /** How often each rule has fired, so reply variants rotate instead of repeating. */
  fired: z.record(z.string(), z.number().int()),
  fallbacks: z.number().int(),
  learnerTurns: z.number().int(),
});
export type PersonaState = z.infer<typeof PersonaState>;

export function initialPersonaState(scenario: Scenario): PersonaState {
  return {
    trust: scenario.persona.starting_mood.trust,
    resistance: scenario.persona.starting_mood.resistance,
    revealed: [],
    fired: {},
    fallbacks: 0,
    learnerTurns: 0,
  };
}

export const clampMood = (value: number) => Math.max(0, Math.min(10, value));
