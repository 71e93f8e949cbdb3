import {
  type ChatMessage,
  type PersonaEngine,
  type PersonaReplyRequest,
  type PersonaReplyResult,
  personaMessages,
  type TokenUsage,
  turnGuidance,
} from "@spar/domain";
import OpenAI from "openai";
import { alternatingMessages } from "./alternating-messages.ts";
import { sendWithFallback } from "./capability-fallback.ts";
import { type EndpointCapabilities, type EndpointMemory, type EndpointSupport, processCapabilities } from "./endpoint-capabilities.ts";
import { callFailure, type LlmObserver } from "./llm-observer.ts";
import { type EndpointSettings, openAiClient } from "./openai-client.ts";
import { defaultTokenParameter, guessProviderKind, type TokenParameter } from "./provider-profile.ts";

export interface OpenAiPersonaSettings extends EndpointSettings {
  /** Sampling temperature; left out, the provider's default. */
  temperature?: number | null;
  /** The longest reply, in tokens (400 when left out or null). */
  maxTokens?: number | null;
  /** Which field carries maxTokens first; by default what the provider kind and model want. */
  tokenParameter?: TokenParameter;
  /** What endpoints were found to take; the process's own memory unless another is given. */
  capabilities?: EndpointCapabilities;
  /** The whole reply must arrive within this (the SDK's own default is ten minutes). */
  turnDeadlineMs: number;
  /** A stream that goes silent this long is given up on. */
  stallMs: number;
  /** Retries on 429 and 5xx, with the SDK's exponential backoff (honouring retry-after). */
  maxRetries: number;
  /** Prompt budget; older turns are summarised beyond it. */
  promptBudgetTokens: number;
  /** Told of first-token latency, token usage and failed attempts (the server's metrics). */
  observer?: LlmObserver;
}

export const defaultPersonaSettings = { turnDeadlineMs: 45_000, stallMs: 15_000, maxRetries: 2, promptBudgetTokens: 6_000, maxTokens: 400 };

/** The persona played by any OpenAI-compatible chat model, streamed. */
export class OpenAiPersonaEngine implements PersonaEngine {
  readonly kind = "llm" as const;
  readonly model: string;
  private readonly client: OpenAI;
  private readonly endpoint: EndpointMemory;

  constructor(private readonly settings: OpenAiPersonaSettings) {
    this.model = settings.model;
    this.client = openAiClient({ ...settings, timeoutMs: settings.turnDeadlineMs });
    this.endpoint = (settings.capabilities ?? processCapabilities).endpoint({
      baseUrl: settings.baseUrl,
      model: settings.model,
      tokenParameter: settings.tokenParameter ?? defaultTokenParameter(settings.kind ?? guessProviderKind(settings.baseUrl), settings.model),
    });
  }

  /** The request for these messages, with only what the endpoint is known to take. */
  private request(messages: ChatMessage[], support: EndpointSupport): OpenAI.ChatCompletionCreateParamsStreaming {
    const request: OpenAI.ChatCompletionCreateParamsStreaming = {
      model: this.model,
      messages: support["message-layout"] === "alternating" ? alternatingMessages(messages) : messages,
      stream: true,
    };
    // Without it there is no usage chunk, and the turn is stored without token counts.
    if (support["stream-usage"] === "include_usage") request.stream_options = { include_usage: true };
    const cap = support["token-parameter"];
    if (cap !== "none") request[cap] = this.settings.maxTokens ?? defaultPersonaSettings.maxTokens;
    if (this.settings.temperature != null && support.temperature === "sent") request.temperature = this.settings.temperature;
    return request;
  }

  async reply(request: PersonaReplyRequest, options: { signal: AbortSignal; onDelta: (text: string) => void }): Promise<PersonaReplyResult> {
    const messages = personaMessages(
      request.scenario,
      request.transcript,
      turnGuidance(request.state, request.move, request.scenario),
      this.settings.promptBudgetTokens,
    );
    const controller = new AbortController();
    let why: "interrupted" | "deadline" | "stall" | null = null;
    const stop = (reason: NonNullable<typeof why>) => {
      why ??= reason;
      controller.abort();
    };
    const onInterrupt = () => stop("interrupted");
    options.signal.addEventListener("abort", onInterrupt, { once: true });
    if (options.signal.aborted) stop("interrupted");
    const deadline = setTimeout(() => stop("deadline"), this.settings.turnDeadlineMs);
    let stall: NodeJS.Timeout | undefined;
    // Restarted on every chunk, so one timer refreshed rather than one created per token.
    const watchForStall = () => {
      if (stall) stall.refresh();
      else stall = setTimeout(() => stop("stall"), this.settings.stallMs);
    };

    const observer = this.settings.observer;
    const asked = performance.now();
    let text = "";
    let usage: TokenUsage | null = null;
    let finish: string | null = null;
    try {
      // Until the stream opens, the SDK's retries and backoff run under the overall deadline.
      // A feature the endpoint refuses is dropped here, before any word is streamed.
      const stream = await sendWithFallback({
        memory: this.endpoint,
        purpose: "persona",
        model: this.model,
        observer,
        build: (support) => this.request(messages, support),
        send: (request) => this.client.chat.completions.create(request, { signal: controller.signal }),
      });
      watchForStall();
      for await (const chunk of stream) {
        watchForStall();
        finish = chunk.choices[0]?.finish_reason ?? finish;
        const delta = chunk.choices[0]?.delta?.content;
        if (delta) {
          if (text === "") observer?.firstToken(this.model, (performance.now() - asked) / 1000);
          text += delta;
          options.onDelta(delta);
        }
        if (chunk.usage) {
          usage = {
            inputTokens: chunk.usage.prompt_tokens,
            outputTokens: chunk.usage.completion_tokens,
            cachedTokens: chunk.usage.prompt_tokens_details?.cached_tokens ?? 0,
          };
        }
      }
      if (why === null || why === "interrupted") observer?.callSucceeded?.(this.model, "persona");
      // An aborted stream may simply end, so how it ended is read from `why`, not from an error.
      if (why) return stopped(why, text, usage);
      // The provider's token limit cut the reply mid-thought: kept, and marked so it can be asked again.
      if (finish === "length") return { ok: true, text: text.trim(), usage, interrupted: "token-limit" };
      return { ok: true, text: text.trim(), usage, interrupted: null };
    } catch (error) {
      if (why) return stopped(why, text, usage);
      observer?.callFailed?.(callFailure(this.model, "persona", error));
      if (error instanceof OpenAI.APIConnectionTimeoutError) {
        observer?.failure(this.model, "timeout");
        return stopped("deadline", text, usage);
      }
      // HTTP statuses and unreachable providers were counted per attempt by the observed fetch.
      if (!(error instanceof OpenAI.APIError)) observer?.failure(this.model, "stream_lost");
      if (text.trim() !== "") return { ok: true, text: text.trim(), usage, interrupted: "stream-lost" };
      return { ok: false, code: "unavailable", message: describe(error) };
    } finally {
      if (why === "deadline" || why === "stall") {
        observer?.failure(this.model, why === "deadline" ? "timeout" : "stall");
        const message = why === "deadline" ? "no complete reply within the deadline" : "the stream stopped sending";
        observer?.callFailed?.({ model: this.model, purpose: "persona", status: null, message, requestId: null });
      }
      if (usage) observer?.usage(this.model, "persona", usage);
      clearTimeout(deadline);
      clearTimeout(stall);
      options.signal.removeEventListener("abort", onInterrupt);
    }
  }
}

/** What was already said is kept and marked interrupted, never dropped. */
function stopped(why: "interrupted" | "deadline" | "stall", text: string, usage: TokenUsage | null): PersonaReplyResult {
  if (why === "interrupted") return { ok: true, text: text.trim(), usage, interrupted: "stopped" };
  if (text.trim() !== "") return { ok: true, text: text.trim(), usage, interrupted: "timeout" };
  return { ok: false, code: "timeout", message: why === "stall" ? "the model stopped sending" : "the model took too long" };
}

function describe(error: unknown): string {
  if (error instanceof OpenAI.APIError && error.status) return `the model service answered ${error.status}`;
  if (error instanceof OpenAI.APIConnectionError) return "the model service could not be reached";
  return "the model service failed";
}
