import { z } from "zod";
import { Level, Slug, Text } from "./common-fields.ts";

/**
 * The ways a learner who has read the rubric might try to score well without doing the work.
 * Adversarial examples name theirs, so calibration can tell which kind a scorer falls for.
 */
export const AdversarialTactic = z
  .enum([
    "phrase-stuffing",
    "polite-contempt",
    "phrase-salad",
    "empty-questions",
    "fake-summary",
    "assessor-injection",
    "hollow-close",
  ])
  .describe(
    "phrase-stuffing: a weak performance stuffed with the rubric's indicator phrases; " +
      "polite-contempt: insults and blame wrapped in \"I understand\", \"I hear you\", \"tell me more\", contempt phrased as questions; " +
      "phrase-salad: rubric phrases piled up with no sense, not responding to what the other person said; " +
      "empty-questions: only empty or generic questions, no substance; " +
      "fake-summary: summaries and reflections that misstate or ignore what the other person said; " +
      "assessor-injection: text addressed to whoever scores the transcript, asking for a high score; " +
      "hollow-close: a next step announced as agreed when the other person never agreed, or walked out.",
  );
export type AdversarialTactic = z.infer<typeof AdversarialTactic>;

export const ExampleTranscript = z
  .strictObject({
    scenario: Slug.describe("The id of the scenario this transcript was practised on."),
    label: z
      .enum(["strong", "weak", "mixed", "adversarial"])
      .describe("adversarial: written to game a scorer; it should score as weak, and counts as weak in calibration."),
    tactic: AdversarialTactic.optional().describe("For an adversarial example: the kind of gaming it tries."),
    description: Text,
    turns: z
      .array(z.strictObject({ speaker: z.enum(["persona", "learner"]), text: Text }))
      .min(2)
      .describe("The conversation; the first turn is the persona's opening line."),
    expected: z
      .record(Slug, z.tuple([Level, Level]).refine(([low, high]) => low <= high, { message: "write the band as [lowest, highest]" }))
      .describe("For every criterion of the scenario's rubric, the band of levels a good scorer gives."),
  })
  .superRefine((example, context) => {
    if (example.tactic !== undefined && example.label !== "adversarial") {
      context.addIssue({ code: "custom", path: ["tactic"], message: `only an adversarial example names a tactic (this one is labelled ${example.label})` });
    }
  })
  .describe("An example transcript with the scores it should get: the calibration check scores it.");
export type ExampleTranscript = z.infer<typeof ExampleTranscript>;
