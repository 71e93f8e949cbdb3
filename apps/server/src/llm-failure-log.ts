import type { LlmObserver } from "@spar/llm";
import type { FastifyBaseLogger } from "fastify";

/**
 * The observer of model calls, with every failed call logged once at warn: the model, what it
 * was for, the HTTP status, the provider's own message and its request id. That is what an
 * operator needs to tell a wrong key from an unsupported parameter; the prompt, the transcript
 * and the key never reach the log.
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
  };
}
