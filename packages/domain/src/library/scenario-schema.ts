import { z } from "zod";
import { Phrases, Slug, Text, Version } from "./common-fields.ts";
import { DialogueAct } from "./dialogue-acts.ts";

export const ScenarioFamily = z.enum(["sales-call", "difficult-conversation", "feedback-delivery", "coaching"]);
export type ScenarioFamily = z.infer<typeof ScenarioFamily>;

export const Difficulty = z.enum(["introductory", "intermediate", "advanced"]);
export type Difficulty = z.infer<typeof Difficulty>;

const Mood = z.number().int().min(0).max(10);

const HiddenFact = z.strictObject({
  id: Slug.describe("Unique within the scenario; rules reveal it by this id."),
  fact: Text.describe("What the persona knows but will not volunteer, and when they would share it."),
});

const RuleMatch = z
  .strictObject({
    acts: z.array(DialogueAct).min(1).optional().describe("The learner turn contains any of these acts."),
    any_words: Phrases.optional().describe("The learner turn contains any of these phrases."),
    trust_at_least: Mood.optional(),
    trust_at_most: Mood.optional(),
    resistance_at_least: Mood.optional(),
    resistance_at_most: Mood.optional(),
    revealed: z.array(Slug).min(1).optional().describe("Only once these hidden facts have been revealed."),
    not_revealed: z.array(Slug).min(1).optional().describe("Only while these hidden facts are still hidden."),
    min_turn: z.number().int().positive().optional().describe("Only from this learner turn on (the first is 1)."),
  })
  .default({})
  .describe("When the offline engine fires this rule: every condition given must hold.");

export const BehaviourRule = z.strictObject({
  id: Slug.describe("Unique within the scenario."),
  when: Text.describe("The situation, in words the LLM persona reads as an instruction."),
  match: RuleMatch,
  // biome-ignore lint/suspicious/noThenProperty: "then" is the authors' word in the YAML; this schema is never awaited.
  then: Text.describe("What the persona does, in words the LLM persona reads as an instruction."),
  effects: z
    .strictObject({ trust: z.number().int().min(-10).max(10).default(0), resistance: z.number().int().min(-10).max(10).default(0) })
    .default({ trust: 0, resistance: 0 })
    .describe("Changes to the persona's trust and resistance (each kept within 0 to 10)."),
  reveals: Slug.optional().describe("A hidden fact the persona reveals in this reply."),
  ends_conversation: z.boolean().default(false).describe("The persona ends the conversation with this reply."),
  replies: z.array(Text).min(2, { message: "give at least 2 variants so the persona does not repeat itself" }),
});
export type BehaviourRule = z.infer<typeof BehaviourRule>;

export const Scenario = z
  .strictObject({
    id: Slug.describe("Unique across the library; by convention the same as the scenario's folder."),
    version: Version,
    title: Text,
    summary: Text.describe("One sentence for the library list."),
    family: ScenarioFamily,
    difficulty: Difficulty,
    rubric: Slug.describe("The id of the rubric this scenario is scored on."),
    estimated_minutes: z.number().int().positive().max(120),
    assessment: z
      .strictObject({
        max_attempts: z.number().int().positive().describe("Attempts a learner has; the best one counts."),
      })
      .optional()
      .describe("Marks the scenario as an assessment, passed at the rubric's pass mark."),
    show_mood: z
      .boolean()
      .default(false)
      .describe("Shows the learner the persona's trust and resistance as they change, as a training aid; never in an assessment."),
    allow_voice: z
      .boolean()
      .default(true)
      .describe("Whether learners may practise this scenario by voice (where the server has a speech-to-text service); false keeps it to text."),
    brief: z
      .strictObject({
        role: Text.describe("Who the learner is in this conversation."),
        situation: Text.describe("What the learner knows before starting. Never the persona's hidden facts."),
        objective: Text.describe("What a good outcome looks like."),
      })
      .describe("Shown to the learner before the conversation starts."),
    persona: z
      .strictObject({
        name: Text,
        role: Text,
        personality: Text.describe("How they talk and react."),
        wants: z.array(Text).min(1),
        hidden: z.array(HiddenFact).min(1).describe("What they know but will not volunteer; never shown to the learner."),
        opening_line: Text.describe("The persona's first words."),
        starting_mood: z.strictObject({ trust: Mood, resistance: Mood }),
        voice: z
          .string()
          .trim()
          .min(1)
          .max(60)
          .optional()
          .describe("The text-to-speech voice this persona speaks with in voice practice (e.g. coral, or af_bella on Kokoro); SPAR_TTS_VOICE when left out."),
      })
      .describe("The other person in the conversation."),
    rules: z
      .array(BehaviourRule)
      .min(1)
      .describe("When the learner does X, the persona does Y. Offline, the first rule that matches a turn fires."),
    fallback_replies: z
      .array(Text)
      .min(3, { message: "give at least 3 fallback replies" })
      .describe("Offline replies when no rule matches."),
    end: z.strictObject({
      max_turns: z.number().int().positive().max(100).describe("Learner turns before the persona closes."),
      max_minutes: z.number().int().positive().max(180),
      closing_line: Text.describe("What the persona says when the turn or time limit is reached."),
    }),
    calibration: z
      .strictObject({
        exact_at_least: z.number().min(0).max(1).describe("Share of criteria whose score must fall inside the expected band."),
        within_one_at_least: z.number().min(0).max(1).describe("Share that must be within one level of the band."),
      })
      .default({ exact_at_least: 0.5, within_one_at_least: 0.8 }),
  })
  .describe("A Spar practice scenario: the brief, the persona, and how the persona behaves.");
export type Scenario = z.infer<typeof Scenario>;
