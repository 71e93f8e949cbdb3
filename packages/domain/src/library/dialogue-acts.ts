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
    "steering",
    "statement",
  ])
  .describe(
    "A dialogue act: greeting; open-question (what, how, tell me...); closed-question (yes/no); " +
      "acknowledgement (recognises their feeling or point); summary (restates what was said); advice " +
      "(tells them what to do); blame (judgement); proposal (a next step); steering (tries to take the " +
      "persona out of role); statement (none of the others).",
  );
export type DialogueAct = z.infer<typeof DialogueAct>;

/** Conversation metrics computed from a transcript alone (see docs/metrics.md). */
export const MetricName = z
  .enum([
    "learner-talk-share",
    "questions-asked",
    "open-question-share",
    "longest-monologue-words",
    "average-turn-words",
    "acknowledged-before-advice",
    "next-step-agreed",
    "interruptions",
  ])
  .describe("A conversation metric computed from the transcript; see docs/metrics.md for each definition.");
export type MetricName = z.infer<typeof MetricName>;
