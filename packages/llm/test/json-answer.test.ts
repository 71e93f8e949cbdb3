import { describe, expect, it } from "vitest";
import { z } from "zod";
import { jsonIn, schemaInstruction } from "../src/json-answer.ts";
import { nestedErrorBody } from "../src/nested-error-body.ts";
import { defaultTokenParameter, guessProviderKind } from "../src/provider-profile.ts";

describe("a JSON answer asked for in the prompt", () => {
  it("carries the schema, and asks for nothing around the object", () => {
    const instruction = schemaInstruction(z.object({ level: z.number().int() }));
    expect(instruction).toContain("no code fences");
    expect(instruction).toContain('"level":{"type":"integer"');
  });

  it("is read whole, from code fences, or between the outer braces; undefined when there is none", () => {
    expect(jsonIn('{"a":1}')).toEqual({ a: 1 });
    expect(jsonIn('Here it is:\n```json\n{"a":2}\n```')).toEqual({ a: 2 });
    expect(jsonIn('Sure! {"a":{"b":3}} Hope that helps.')).toEqual({ a: { b: 3 } });
    expect(jsonIn("I cannot assess this.")).toBeUndefined();
    expect(jsonIn('{"criteria": [ this is not json')).toBeUndefined();
  });
});

describe("provider quirks read from settings and answers", () => {
  it("guesses the kind from the base URL", () => {
    expect(guessProviderKind(null)).toBe("openai");
    expect(guessProviderKind("https://api.openai.com/v1")).toBe("openai");
    expect(guessProviderKind("https://contoso.openai.azure.com")).toBe("azure");
    expect(guessProviderKind("http://localhost:11434/v1")).toBe("compatible");
  });

  it("caps OpenAI and reasoning models with max_completion_tokens, other servers with max_tokens", () => {
    expect(defaultTokenParameter("openai", "gpt-4.1-mini")).toBe("max_completion_tokens");
    expect(defaultTokenParameter("azure", "o3-mini")).toBe("max_completion_tokens");
    expect(defaultTokenParameter("azure", "gpt-5.1")).toBe("max_completion_tokens");
    expect(defaultTokenParameter("azure", "my-gpt4o-deployment")).toBe("max_tokens");
    expect(defaultTokenParameter("compatible", "llama3.1")).toBe("max_tokens");
  });

  it("puts a flat error body under `error`, and leaves OpenAI's and non-JSON bodies alone", () => {
    expect(JSON.parse(nestedErrorBody('{"object":"error","message":"Bad","code":400}') ?? "")).toEqual({ error: { object: "error", message: "Bad", code: 400 } });
    expect(nestedErrorBody('{"error":{"message":"Bad"}}')).toBeNull();
    expect(nestedErrorBody("Internal Server Error")).toBeNull();
  });
});
