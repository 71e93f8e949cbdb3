import { z } from "zod";
import { Level, Slug, Text } from "./common-fields.ts";

export const ExampleTranscript = z
  .strictObject({
    scenario: Slug.describe("The id of the scenario this transcript was practised on."),
    label: z.enum(["strong", "weak", "mixed"]),
    description: Text,
    turns: z
      .array(z.strictObject({ speaker: z.enum(["persona", "learner"]), text: Text }))
      .min(2)
      .describe("The conversation; the first turn is the persona's opening line."),
    expected: z
      .record(Slug, z.tuple([Level, Level]).refine(([low, high]) => low <= high, { message: "write the band as [lowest, highest]" }))
      .describe("For every criterion of the scenario's rubric, the band of levels a good scorer gives."),
  })
  .describe("An example transcript with the scores it should get: the calibration check scores it.");
export type ExampleTranscript = z.infer<typeof ExampleTranscript>;
