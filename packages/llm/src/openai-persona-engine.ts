import {
  type PersonaEngine,
  type PersonaReplyRequest,
  type PersonaReplyResult,
  personaMessages,
  type TokenUsage,
  turnGuidance,
} from "@spar/domain";
import OpenAI from "openai";
import { callFailure, type LlmObserver } from "./llm-observer.ts";
import { openAiClient } from "./openai-client.ts";

export interface OpenAiPersonaSettings {
  apiKey: string;
  baseUrl: string | null;
  model: string;
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

export const defaultPersonaSettings = { turnDeadlineMs: 45_000, stallMs: 15_000, maxRetries: 2, promptBudgetTokens: 6_000 };

/** The persona played by any OpenAI-compatible chat model, streamed. */
export class OpenAiPersonaEngine implements PersonaEngine {
  readonly kind = "llm" as const;
  readonly model: string;
  private readonly client: OpenAI;

  constructor(private readonly settings: OpenAiPersonaSettings) {
    this.model = settings.model;
    this.client = openAiClient({ ...settings, timeoutMs: settings.turnDeadlineMs });
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
      const stream = await this.client.chat.completions.create(
        { model: this.model, messages, stream: true, stream_options: { include_usage: true }, max_tokens: 400 },
        { signal: controller.signal },
      );
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
