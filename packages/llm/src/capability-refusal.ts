import OpenAI from "openai";
import type { Capability, EndpointSupport } from "./endpoint-capabilities.ts";

/** An endpoint's "I do not take that": which capability, which value of it, and its own words. */
export type Refusal = {
  [C in Capability]: { capability: C; refused: EndpointSupport[C]; to?: EndpointSupport[C]; providerMessage: string };
}[Capability];

/** The parts of a chat request whose refusal Spar can do without. */
export interface SentRequest {
  stream_options?: unknown;
  response_format?: { type: string } | undefined;
  seed?: unknown;
  temperature?: unknown;
  max_tokens?: unknown;
  max_completion_tokens?: unknown;
  messages: readonly { role: string }[];
}

// How servers word a chat template that wants one system message and alternating turns: vLLM and
// llama.cpp pass on the Jinja template's own exception (Mistral, Llama 2, Gemma templates), TGI
// and others say it themselves.
const layoutRefusals = [
  /roles must alternate/i,
  /system message must be (at the beginning|first)/i,
  /only (the )?(user and assistant|user\/assistant) roles are supported/i,
  /system role (is )?not supported/i,
  /(conversation|messages?) must start with a user message/i,
  /first (non-system )?message must be (from )?(the )?user/i,
];

// Words that make a 400 naming a parameter a refusal of it, and not a complaint about its value.
const refusalWords =
  /unsupported|not supported|unrecognized|unrecogni[sz]ed|unknown|not allowed|not permitted|extra (inputs|fields)|does not support|doesn't support|invalid (request )?(argument|parameter)|must be one of|UnsupportedParamsError|drop_params/i;

/**
 * Reads a refusal from what the SDK threw for a request: OpenAI's `param` field first, then the
 * provider's message (OpenAI "Unrecognized request argument supplied: stream_options", vLLM
 * "Conversation roles must alternate user/assistant/…", llama.cpp and Ollama "'json_schema' is
 * not supported", LiteLLM "UnsupportedParamsError: … does not support parameters: ['seed']").
 * Only what the request carried can be refused; anything else is not a refusal (null).
 */
export function refusalIn(error: unknown, sent: SentRequest, support: EndpointSupport): Refusal | null {
  if (!(error instanceof OpenAI.APIError) || error.status === undefined) return null;
  const message = providerMessage(error);
  // Chat template errors surface as 500 on some servers (llama.cpp); parameter refusals are 400 or 422.
  if (support["message-layout"] === "as-built" && layoutRefusals.some((pattern) => pattern.test(message)) && [400, 422, 500].includes(error.status)) {
    return { capability: "message-layout", refused: "as-built", providerMessage: message };
  }
  if (error.status !== 400 && error.status !== 422) return null;
  const candidates = sentParameters(sent, support);
  const param = typeof error.param === "string" ? error.param : null;
  const named = candidates.find((candidate) => candidate.names.includes(param ?? "")) ??
    (refusalWords.test(message) ? candidates.find((candidate) => candidate.names.some((name) => new RegExp(`\\b${name}\\b`).test(message))) : undefined);
  if (!named) return null;
  return { ...named.refusal, providerMessage: message } as Refusal;
}

/** The provider's own message: the error body's `message`, else the SDK's summary of it. */
export function providerMessage(error: InstanceType<typeof OpenAI.APIError>): string {
  const body = error.error as { message?: unknown } | undefined;
  return typeof body?.message === "string" ? body.message : error.message;
}

interface Candidate {
  /** Names a server uses for it in `param` or its message, most specific first. */
  names: string[];
  refusal: Omit<Refusal, "providerMessage">;
}

function sentParameters(sent: SentRequest, support: EndpointSupport): Candidate[] {
  const candidates: Candidate[] = [];
  const format = sent.response_format?.type;
  if (format === "json_schema") {
    // "'json_schema' is not supported" means JSON mode may still work; "response_format is not
    // supported" means no structured output at all.
    candidates.push({ names: ["json_schema"], refusal: { capability: "structured-output", refused: "json_schema" } });
    candidates.push({ names: ["response_format"], refusal: { capability: "structured-output", refused: "json_schema", to: "schema-in-prompt" } });
  } else if (format === "json_object") {
    candidates.push({ names: ["json_object", "response_format"], refusal: { capability: "structured-output", refused: "json_object" } });
  }
  if (sent.stream_options !== undefined) candidates.push({ names: ["stream_options", "include_usage"], refusal: { capability: "stream-usage", refused: "include_usage" } });
  if (sent.seed !== undefined) candidates.push({ names: ["seed"], refusal: { capability: "seed", refused: "sent" } });
  if (sent.temperature !== undefined) candidates.push({ names: ["temperature"], refusal: { capability: "temperature", refused: "sent" } });
  // A refusal of one cap usually names the other ("Use 'max_completion_tokens' instead"), so only the one sent is looked for.
  const cap = support["token-parameter"];
  if (cap !== "none" && sent[cap] !== undefined) candidates.push({ names: [cap], refusal: { capability: "token-parameter", refused: cap } });
  return candidates;
}
