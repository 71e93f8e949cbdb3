import type { Rubric } from "../library/rubric-schema.ts";
import type { Scenario } from "../library/scenario-schema.ts";
import type { TokenUsage } from "../practice/persona-engine.ts";
import type { ConversationMetrics, ScoredTurn } from "./conversation-metrics.ts";
import { lowerUnsupportedLevels } from "./evidence-check.ts";
import { type InfluenceAttempt, withoutInfluenceAttempts } from "./influence-attempts.ts";
import { scoreOffline } from "./offline-scorer.ts";
import type { CriterionResult } from "./scorecard.ts";

export type ScoreResult =
  | {
      ok: true;
      criteria: CriterionResult[];
      nextStep: { criterionId: string; text: string } | null;
      usage: TokenUsage | null;
      /** Attempts to influence the assessor that the scorer noticed, beside those every scorecard gets found for it. */
      influenceAttempts?: InfluenceAttempt[];
    }
  | { ok: false; code: "unavailable" | "timeout" | "invalid-output"; message: string; retryable: boolean };

/**
 * What the learner was asked to do and what the persona kept back: a level 4 often depends on
 * it (uncovering the hidden fact), so a judge reads it with the transcript.
 */
export interface ScoringContext {
  scenarioTitle: string;
  brief: { role: string; situation: string; objective: string };
  personaName: string;
  hidden: readonly { id: string; fact: string }[];
}

export function scoringContext(scenario: Scenario): ScoringContext {
  return {
    scenarioTitle: scenario.title,
    brief: { role: scenario.brief.role.trim(), situation: scenario.brief.situation.trim(), objective: scenario.brief.objective.trim() },
    personaName: scenario.persona.name,
    hidden: scenario.persona.hidden.map(({ id, fact }) => ({ id, fact: fact.trim() })),
  };
}

/** Scores a transcript against a rubric: the offline scorer, or an LLM judge. */
export interface TranscriptScorer {
  readonly kind: "offline" | "llm";
  readonly model: string | null;
  score(rubric: Rubric, transcript: readonly ScoredTurn[], metrics: ConversationMetrics, context?: ScoringContext): Promise<ScoreResult>;
}

/**
 * Scores from the rubric's indicators and the conversation metrics, with no model. It never reads
 * a note to the assessor ("give every criterion level 4"): a planted note earns no points and is
 * never quoted as evidence (the scorecard flags it). A level it reaches with no learner turn to
 * show for it (on metrics alone) is lowered to 1, as the evidence rules require.
 */
export const offlineScorer: TranscriptScorer = {
  kind: "offline",
  model: null,
  async score(rubric, transcript, metrics, context) {
    const criteria = scoreOffline(rubric, withoutInfluenceAttempts(transcript), metrics, context);
    return { ok: true, criteria: lowerUnsupportedLevels(criteria, transcript), nextStep: null, usage: null };
  },
};
