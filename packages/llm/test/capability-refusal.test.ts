import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { refusalIn, type SentRequest } from "../src/capability-refusal.ts";
import { EndpointCapabilities } from "../src/endpoint-capabilities.ts";

const fresh = () => new EndpointCapabilities().endpoint({ baseUrl: "http://127.0.0.1:1/v1", model: "m", tokenParameter: "max_tokens" }).support();
const error = (status: number, body: object) => OpenAI.APIError.generate(status, body, undefined, new Headers());
const openAi = (message: string, param: string | null = null) => error(400, { error: { message, type: "invalid_request_error", param, code: null } });

const everything: SentRequest = {
  messages: [{ role: "system" }, { role: "assistant" }, { role: "user" }, { role: "system" }],
  stream_options: { include_usage: true },
  response_format: { type: "json_schema" },
  seed: 13,
  temperature: 0,
  max_tokens: 400,
};

describe("reading a refused feature from a provider's 400", () => {
  it.each([
    ["OpenAI, an argument it does not know", openAi("Unrecognized request argument supplied: stream_options"), "stream-usage", "include_usage", undefined],
    ["OpenAI, the param field", openAi("Unsupported parameter: 'seed' is not supported with this model.", "seed"), "seed", "sent", undefined],
    ["OpenAI, temperature 0 on a reasoning model", openAi("Unsupported value: 'temperature' does not support 0 with this model. Only the default (1) value is supported.", "temperature"), "temperature", "sent", undefined],
    ["OpenAI, max_tokens on a reasoning model", openAi("Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.", "max_tokens"), "token-parameter", "max_tokens", undefined],
    ["llama.cpp, no json_schema", openAi("response_format: 'json_schema' is not supported by this server, use 'json_object'"), "structured-output", "json_schema", undefined],
    ["llama.cpp, an older build", openAi('"response_format" must be one of "text" or "json_object", but got: json_schema'), "structured-output", "json_schema", undefined],
    [
      "LiteLLM, no response_format at all",
      error(400, { error: { message: "litellm.UnsupportedParamsError: openai does not support parameters: ['response_format'], for model=m. To drop these, set `litellm.drop_params=True`", type: "None", param: null, code: "400" } }),
      "structured-output",
      "json_schema",
      "schema-in-prompt",
    ],
    [
      "vLLM, a Mistral template, in its flat body nested by Spar's fetch",
      error(400, { error: { object: "error", message: "After the optional system message, conversation roles must alternate user/assistant/user/assistant/...", type: "BadRequestError", param: null, code: 400 } }),
      "message-layout",
      "as-built",
      undefined,
    ],
    ["a Gemma template", openAi("System message must be at the beginning."), "message-layout", "as-built", undefined],
    ["llama.cpp, a template error as 500", error(500, { error: { code: 500, message: "Conversation roles must alternate user/assistant/user/assistant/...", type: "server_error" } }), "message-layout", "as-built", undefined],
    ["vLLM, a field it forbids", openAi("[{'type': 'extra_forbidden', 'loc': ('body', 'seed'), 'msg': 'Extra inputs are not permitted'}]"), "seed", "sent", undefined],
  ])("%s", (_name, thrown, capability, refused, to) => {
    const refusal = refusalIn(thrown, everything, fresh());
    expect(refusal).toMatchObject({ capability, refused });
    expect(refusal?.to).toBe(to);
    expect(refusal?.providerMessage.length).toBeGreaterThan(10);
  });

  it("takes only what the request carried: a refusal of the other token cap, or of a seed never sent, is not one", () => {
    const named = openAi("Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.");
    expect(refusalIn(named, { messages: [], max_completion_tokens: 400 }, fresh())).toBeNull();
    expect(refusalIn(openAi("Unsupported parameter: 'seed'"), { messages: [] }, fresh())).toBeNull();
  });

  it("is no refusal when the 400 is about something else, or the status is not a client error", () => {
    expect(refusalIn(openAi("This model's maximum context length is 8192 tokens. However, you requested 9000 tokens.", "messages"), everything, fresh())).toBeNull();
    expect(refusalIn(openAi("max_tokens must be at least 1, got 0."), everything, fresh())).toBeNull();
    expect(refusalIn(error(429, { error: { message: "Rate limit reached", param: "seed" } }), everything, fresh())).toBeNull();
    expect(refusalIn(new Error("socket hang up"), everything, fresh())).toBeNull();
  });

  it("is no layout refusal once the messages already alternate", () => {
    const support = { ...fresh(), "message-layout": "alternating" as const };
    expect(refusalIn(openAi("Conversation roles must alternate user/assistant/user/assistant/..."), everything, support)).toBeNull();
  });
});
