import type { DialogueAct } from "../library/dialogue-acts.ts";
import type { BehaviourRule, Scenario } from "../library/scenario-schema.ts";
import type { PersonaState } from "./persona-state.ts";
import { containsAnyPhrase } from "./phrases.ts";

export interface LearnerTurn {
  text: string;
  acts: readonly DialogueAct[];
  /** 1 for the learner's first turn. */
  number: number;
}

export function ruleMatches(rule: BehaviourRule, state: PersonaState, turn: LearnerTurn): boolean {
  const match = rule.match;
  if (match.acts && !match.acts.some((act) => turn.acts.includes(act))) return false;
  if (match.any_words && !containsAnyPhrase(turn.text, match.any_words)) return false;
  if (match.trust_at_least !== undefined && state.trust < match.trust_at_least) return false;
  if (match.trust_at_most !== undefined && state.trust > match.trust_at_most) return false;
  if (match.resistance_at_least !== undefined && state.resistance < match.resistance_at_least) return false;
  if (match.resistance_at_most !== undefined && state.resistance > match.resistance_at_most) return false;
  if (match.revealed && !match.revealed.every((id) => state.revealed.includes(id))) return false;
  if (match.not_revealed?.some((id) => state.revealed.includes(id))) return false;
  if (match.min_turn !== undefined && turn.number < match.min_turn) return false;
  return true;
}

/** The rule that governs the persona's answer to this turn: the first that matches, in file order. */
export function matchingRule(scenario: Scenario, state: PersonaState, turn: LearnerTurn): BehaviourRule | null {
  return scenario.rules.find((rule) => ruleMatches(rule, state, turn)) ?? null;
}
