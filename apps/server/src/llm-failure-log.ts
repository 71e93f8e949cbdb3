import type { LlmObserver } from "@spar/llm";
import type { FastifyBaseLogger } from "fastify";

/**
 * The observer of model calls, with every failed call logged once at warn: the model, what it
 * was for, the HTTP status, the provider's own message and its request id. That is what an
 * operator needs to tell a wrong key from an unsupported parameter; the prompt, the transcript
 * and the key never reach the log. A feature the endpoint refused (and Spar now does without)
 * is logged once too, with the provider's words.
 */
export function loggingLlmFailures(log: FastifyBaseLogger, observer?: LlmObserver): LlmObserver {
  return {
    firstToken: (model, seconds) => observer?.firstToken(model, seconds),
    usage: (model, purpose, usage) => observer?.usage(model, purpose, usage),
    failure: (model, code) => observer?.failure(model, code),
    callFailed: (failure) => {
      observer?.callFailed?.(failure);
      const status = failure.status === null ? "" : ` (HTTP ${failure.status})`;
      log.warn({ llm: failure }, `the ${failure.purpose} model call failed${status}: ${failure.message}`);
    },
    callSucceeded: (model, purpose) => observer?.callSucceeded?.(model, purpose),
    // Once per endpoint and feature in a process's life: the engines remember what they learned.
    capabilityFellBack: (fallback) => {
      observer?.capabilityFellBack?.(fallback);
      log.warn(
        { llm: fallback },
        `the ${fallback.purpose} model's endpoint refused ${fallback.capability}; Spar now sends ${fallback.now} (docs/llm-providers.md): ${fallback.providerMessage}`,
      );
    },
  };
}
