import { z } from "zod";

/**
 * The instruction that carries the answer's JSON Schema in the prompt, for endpoints that take
 * no schema as response_format (JSON mode only, or no structured output at all). The answer is
 * still checked with the same zod schema, so a model that strays is sent back as before.
 */
export function schemaInstruction(schema: z.ZodType): string {
  return [
    "Answer with one JSON object and nothing else: no prose before or after it, no code fences.",
    "The object must match this JSON Schema:",
    JSON.stringify(z.toJSONSchema(schema)),
  ].join("\n");
}

/**
 * The JSON value in a model's answer: the whole text, or else the object inside code fences or
 * between the first "{" and the last "}", which is where models asked only in the prompt put it.
 * Undefined when there is none.
 */
export function jsonIn(text: string): unknown {
  const attempts = [text, /```(?:json)?\s*([\s\S]*?)```/i.exec(text)?.[1], text.slice(text.indexOf("{"), text.lastIndexOf("}") + 1)];
  for (const attempt of attempts) {
    if (!attempt?.trim()) continue;
    try {
      return JSON.parse(attempt);
    } catch {
      // the next reading
    }
  }
  return undefined;
}
