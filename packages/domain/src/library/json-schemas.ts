import { z } from "zod";
import { ExampleTranscript } from "./example-schema.ts";
import { Rubric } from "./rubric-schema.ts";
import { Scenario } from "./scenario-schema.ts";

/**
 * JSON Schemas generated from the zod schemas, so editors (VS Code's YAML extension) validate
 * and complete library files as authors type. Draft-07 is what that extension supports best;
 * `io: "input"` describes what an author writes, where fields with defaults are optional.
 */
export function libraryJsonSchemas(): Record<"scenario" | "rubric" | "example", Record<string, unknown>> {
  const generate = (schema: z.ZodType, title: string) => ({
    title,
    ...z.toJSONSchema(schema, { target: "draft-7", io: "input", unrepresentable: "any" }),
  });
  return {
    scenario: generate(Scenario, "Spar scenario"),
    rubric: generate(Rubric, "Spar rubric"),
    example: generate(ExampleTranscript, "Spar example transcript"),
  };
}
