import { z } from "zod";
import { type Level, Phrases, Slug, Text, Version } from "./common-fields.ts";
import { DialogueAct, MetricName } from "./dialogue-acts.ts";

const LevelAnchor = z
  .strictObject({
    description: Text.describe("What the learner does at this level: observable behaviour, not adjectives."),
    sounds_like: Text.describe("A line a learner at this level would actually say."),
  })
  .describe("A behaviourally anchored level.");

/** Levels 2 to 4 are what a learner below them aims at, so they may say how to get there. */
const TargetLevelAnchor = LevelAnchor.extend({
  try: Text.optional().describe(
    "The behaviour of this level as an instruction to a learner below it (\"Name the feeling in specific words and pause before explaining.\"): " +
      "what the scorecard's \"one thing to try next time\" says. Write what to do, never the weak behaviour.",
  ),
}).describe("A behaviourally anchored level, with how to reach it.");

const TurnIndicator = z
  .strictObject({
    acts: z.array(DialogueAct).min(1).optional().describe("The learner turn contains any of these acts."),
    any_words: Phrases.optional().describe("The learner turn contains any of these phrases."),
    points: z.number().positive().describe("Points added (positive list) or taken away (negative list) per matching turn."),
  })
  .refine((indicator) => indicator.acts !== undefined || indicator.any_words !== undefined, {
    message: "give acts, any_words or both",
  })
  .describe("Matches a learner turn; with both acts and any_words the turn must match both. Each counts at most twice.");

const MetricIndicator = z
  .strictObject({
    metric: MetricName,
    at_least: z.number().optional(),
    at_most: z.number().optional(),
    points: z.number().positive(),
  })
  .refine((indicator) => indicator.at_least !== undefined || indicator.at_most !== undefined, {
    message: "give at_least, at_most or both",
  })
  .describe("Adds points when a whole-conversation metric is within the bounds.");

const Indicators = z
  .strictObject({
    positive: z.array(TurnIndicator).default([]),
    negative: z.array(TurnIndicator).default([]),
    metrics: z.array(MetricIndicator).default([]),
    thresholds: z
      .tuple([z.number(), z.number(), z.number()])
      .refine(([two, three, four]) => two < three && three < four, { message: "thresholds must increase" })
      .describe("Points needed for levels 2, 3 and 4; fewer points than the first is level 1."),
  })
  .describe("How the offline scorer (used when no LLM is configured) scores this criterion.");

export const Criterion = z.strictObject({
  id: Slug.describe("Unique within the rubric."),
  title: Text,
  weight: z.number().positive({ message: "weights must be positive" }).describe("Relative importance in the overall score."),
  description: Text.describe("What this criterion looks at."),
  levels: z
    .strictObject({ "1": LevelAnchor, "2": TargetLevelAnchor, "3": TargetLevelAnchor, "4": TargetLevelAnchor })
    .describe("Every level from 1 (not yet) to 4 (role model)."),
  indicators: Indicators.optional(),
});
export type Criterion = z.infer<typeof Criterion>;

export const Rubric = z
  .strictObject({
    id: Slug.describe("Unique across the library; scenarios name their rubric by this id."),
    version: Version,
    title: Text,
    competency: Slug.describe("The competency this rubric measures, as shown in manager and programme reports."),
    description: Text,
    scale: z
      .strictObject({ "1": Text, "2": Text, "3": Text, "4": Text })
      .describe("Labels for the four levels, e.g. Not yet, Developing, Proficient, Role model."),
    pass_mark: z
      .number()
      .min(1)
      .max(4)
      .describe("Weighted average level (1 to 4) a session needs to pass."),
    criteria: z.array(Criterion).min(1).describe("What the transcript is scored on."),
  })
  .describe("A Spar rubric: the criteria a practice conversation is scored on.");
export type Rubric = z.infer<typeof Rubric>;

export type CriterionLevel = z.infer<typeof Level>;
