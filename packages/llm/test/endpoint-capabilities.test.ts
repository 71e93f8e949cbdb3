import { describe, expect, it } from "vitest";
import { EndpointCapabilities } from "../src/endpoint-capabilities.ts";

describe("what an endpoint was found to take", () => {
  const endpoint = { baseUrl: "http://127.0.0.1:1/v1", model: "m", tokenParameter: "max_completion_tokens" as const };

  it("starts from the best request, and steps down one refusal at a time, never back up", () => {
    const memory = new EndpointCapabilities().endpoint(endpoint);
    expect(memory.support()).toEqual({
      "stream-usage": "include_usage",
      "structured-output": "json_schema",
      seed: "sent",
      temperature: "sent",
      "token-parameter": "max_completion_tokens",
      "message-layout": "as-built",
    });
    expect(memory.stepDown("structured-output", "json_schema")).toEqual({ learned: true });
    expect(memory.support()["structured-output"]).toBe("json_object");
    expect(memory.stepDown("structured-output", "json_object")).toEqual({ learned: true });
    expect(memory.stepDown("structured-output", "schema-in-prompt")).toBeNull();
    expect(memory.stepDown("token-parameter", "max_completion_tokens")).toEqual({ learned: true });
    expect(memory.support()["token-parameter"]).toBe("max_tokens");
    expect(memory.fallbacks().map((fallback) => [fallback.capability, fallback.now])).toEqual([
      ["structured-output", "json_object"],
      ["structured-output", "schema-in-prompt"],
      ["token-parameter", "max_tokens"],
    ]);
  });

  it("learns a refusal once when two calls report it together, so neither skips a rung", () => {
    const memory = new EndpointCapabilities().endpoint(endpoint);
    expect(memory.stepDown("structured-output", "json_schema")).toEqual({ learned: true });
    expect(memory.stepDown("structured-output", "json_schema")).toEqual({ learned: false });
    expect(memory.support()["structured-output"]).toBe("json_object");
    expect(memory.fallbacks()).toHaveLength(1);
  });

  it("jumps further down when the refusal says so", () => {
    const memory = new EndpointCapabilities().endpoint(endpoint);
    memory.stepDown("structured-output", "json_schema", "schema-in-prompt");
    expect(memory.support()["structured-output"]).toBe("schema-in-prompt");
  });

  it("is one memory per base URL and model, shared by every engine that asks", () => {
    const capabilities = new EndpointCapabilities();
    capabilities.endpoint(endpoint).stepDown("seed", "sent");
    expect(capabilities.endpoint(endpoint).support().seed).toBe("none");
    expect(capabilities.endpoint({ ...endpoint, model: "other" }).support().seed).toBe("sent");
    expect(capabilities.endpoint({ ...endpoint, baseUrl: "http://127.0.0.1:2/v1" }).support().seed).toBe("sent");
  });
});
