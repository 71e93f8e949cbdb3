import { voiceMetricNames } from "@spar/protocol";
import { z } from "zod";

/**
 * What a learner's turn does in the conversation. The offline engine classifies each turn into
 * these with transparent rules; scenario rules and rubric indicators are written in them.
 */
export const DialogueAct = z
  .enum([
    "greeting",
    "open-question",
    "closed-question",
    "acknowledgement",
    "summary",
    "advice",
    "blame",
    "proposal",
    "commitment",
    "steering",
    "observation",
    "impact",
    "quantifying-question",
    "decision-question",
    "future-question",
    "reflection",
    "statement",
  ])
  .describe(
    "A dialogue act: greeting; open-question (what, how, tell me...); closed-question (yes/no); " +
      "acknowledgement (recognises their feeling or point); summary (restates what was said); advice " +
      "(tells them what to do); blame (judgement); proposal (a next step); commitment (a next step with a when: I'll send it by Friday); steering (tries to take the " +
      "persona out of role); observation (what the other person did, concretely: when, what, their words); " +
      "impact (what followed from it: a consequence or how it landed); quantifying-question (how much, how " +
      "many, how often, how long); decision-question (who decides, signs off, by what process); " +
      "future-question (what they want ahead, what good would look like); reflection (plays back the " +
      "other person's own words; found in scoring, where the previous turn is known); statement (none of " +
      "the others).",
  );
export type DialogueAct = z.infer<typeof DialogueAct>;

/** Conversation metrics computed from a transcript alone (see docs/metrics.md). */
/** Metrics of any conversation, typed or spoken. */
export const TextMetricName = z.enum([
  "learner-talk-share",
  "questions-asked",
  "open-question-share",
  "longest-monologue-words",
  "average-turn-words",
  "acknowledged-before-advice",
  "next-step-agreed",
  "interruptions",
]);
export type TextMetricName = z.infer<typeof TextMetricName>;

/** Metrics of a spoken conversation, from its timed transcript; a typed one has none. */
export const VoiceMetricName = z.enum(voiceMetricNames);
export type VoiceMetricName = z.infer<typeof VoiceMetricName>;

export const MetricName = z
  .enum([...TextMetricName.options, ...VoiceMetricName.options])
  .describe(
    "A conversation metric computed from the transcript; see docs/metrics.md for each definition. Voice metrics (speaking-pace-wpm …) exist only for spoken sessions: in a typed one, an indicator on them adds nothing.",
  );
export type MetricName = z.infer<typeof MetricName>;
