/**
 * Which kind of server a role (persona or judge) talks to. `openai` is api.openai.com, `azure` is
 * an Azure OpenAI resource (deployment in the path, api-version in the query, an `api-key`
 * header), `compatible` is anything else that speaks the chat completions API (vLLM, Ollama,
 * llama.cpp, LiteLLM, a gateway).
 */
export type ProviderKind = "openai" | "azure" | "compatible";

/** The request field that caps a reply's length: newer OpenAI models take only the second. */
export type TokenParameter = "max_tokens" | "max_completion_tokens";

export const providerKinds = ["openai", "azure", "compatible"] as const satisfies readonly ProviderKind[];

/** The api-version an Azure client sends when none is set: the newest generally available one with structured outputs. */
export const defaultAzureApiVersion = "2024-10-21";

/**
 * Sent as the key to a server that wants none (Ollama, llama.cpp, a local vLLM): the SDK refuses
 * to run without one, and these servers ignore the Authorization header.
 */
export const placeholderApiKey = "no-key";

/** The kind a base URL most likely is, when the operator did not say. */
export function guessProviderKind(baseUrl: string | null): ProviderKind {
  if (baseUrl === null) return "openai";
  const host = hostOf(baseUrl);
  if (host === "api.openai.com") return "openai";
  if (host.endsWith(".openai.azure.com") || host.endsWith(".cognitiveservices.azure.com")) return "azure";
  return "compatible";
}

/**
 * The length cap parameter to start with. OpenAI deprecated `max_tokens` and its reasoning models
 * (o1, o3, o4, gpt-5) refuse it, so OpenAI gets `max_completion_tokens`; servers that copy the
 * API mostly know only `max_tokens`. A refusal of either switches to the other (see
 * endpoint-capabilities.ts), so a wrong guess costs one call per process.
 */
export function defaultTokenParameter(kind: ProviderKind, model: string): TokenParameter {
  if (kind === "openai" || isReasoningModel(model)) return "max_completion_tokens";
  return "max_tokens";
}

/** OpenAI's reasoning model names (an Azure deployment named after its model counts too). */
export function isReasoningModel(model: string): boolean {
  return /^(o\d|gpt-5)([-.].*)?$/i.test(model.trim());
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return "";
  }
}
