import type { BehaviourRule, Scenario } from "../library/scenario-schema.ts";
import { clampMood, type PersonaState } from "./persona-state.ts";
import { type LearnerTurn, matchingRule } from "./rule-matching.ts";

export interface PersonaMove {
  /** The rule that fired, or null when the persona fell back to a neutral line. */
  rule: BehaviourRule | null;
  /** The persona's state after this turn. */
  state: PersonaState;
  /** The authored line the offline engine says (the LLM persona writes its own). */
  reply: string;
  endsConversation: boolean;
}

/**
 * How the persona responds to one learner turn: the scenario's behaviour rules run as branches.
 * Pure: the same scenario, state and turn always give the same move.
 */
export function decidePersonaMove(scenario: Scenario, state: PersonaState, turn: LearnerTurn): PersonaMove {
  const rule = matchingRule(scenario, state, turn);
  const learnerTurns = state.learnerTurns + 1;
  if (!rule) {
    const replies = scenario.fallback_replies;
    return {
      rule: null,
      state: { ...state, learnerTurns, fallbacks: state.fallbacks + 1 },
      reply: replies[state.fallbacks % replies.length] ?? "",
      endsConversation: false,
    };
  }
  const times = state.fired[rule.id] ?? 0;
  const revealed = rule.reveals && !state.revealed.includes(rule.reveals) ? [...state.revealed, rule.reveals] : state.revealed;
  return {
    rule,
    state: {
      ...state,
      learnerTurns,
      trust: clampMood(state.trust + rule.effects.trust),
      resistance: clampMood(state.resistance + rule.effects.resistance),
      revealed,
      fired: { ...state.fired, [rule.id]: times + 1 },
    },
    reply: rule.replies[times % rule.replies.length] ?? "",
    endsConversation: rule.ends_conversation,
  };
}
