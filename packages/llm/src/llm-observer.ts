import OpenAI from "openai";
import type { TokenUsage } from "@spar/domain";
import type { Capability } from "./endpoint-capabilities.ts";

/** What a model call was for: playing the persona or scoring a transcript. */
export type LlmPurpose = "persona" | "judge";

/**
 * Told what the model calls did, so the server can count them (Prometheus, in Spar's case)
 * without this package knowing how. Every method must be cheap and must not throw.
 */
export interface LlmObserver {
  /** Seconds from asking for a persona reply to its first streamed word, retries included. */
  firstToken(model: string, seconds: number): void;
  /** Tokens one call used, as the provider reported them. */
  usage(model: string, purpose: LlmPurpose, usage: TokenUsage): void;
  /**
   * One failed attempt: `http_<status>` and `connection` for each attempt the SDK made (retried
   * ones too), `timeout`, `stall` and `stream_lost` for streams, `invalid_output` for a judge
   * answer that could not be used.
   */
  failure(model: string, code: string): void;
  /**
   * A call that failed for good (after the SDK's own retries), told once so an operator can see
   * why: what the provider said, never the key or the conversation.
   */
  callFailed?(failure: LlmCallFailure): void;
  /** A call that got its answer (after any retries and fallbacks): the endpoint works. */
  callSucceeded?(model: string, purpose: LlmPurpose): void;
  /**
   * The endpoint refused a feature (streamed usage, structured output, a seed, the message
   * layout…) and Spar now asks without it. Told once per endpoint and feature in a process's life.
   */
  capabilityFellBack?(fallback: LlmCapabilityFallback): void;
}

/** A feature an endpoint refused, and what Spar sends instead from now on. */
export interface LlmCapabilityFallback {
  model: string;
  purpose: LlmPurpose;
  capability: Capability;
  /** What is sent now, e.g. "none", "json_object", "alternating". */
  now: string;
  /** The provider's own words of refusal. */
  providerMessage: string;
}

/** What is known of a failed model call, for the operator's log. */
export interface LlmCallFailure {
  model: string;
  purpose: LlmPurpose;
  /** The HTTP status the provider answered; null when it could not be reached or timed out. */
  status: number | null;
  /** The provider's own error message (e.g. "Unrecognized request argument supplied: seed"). */
  message: string;
  /** The provider's request id (`x-request-id`), to quote to its support. */
  requestId: string | null;
}

/** The failure of a call, read from what the openai SDK threw. */
export function callFailure(model: string, purpose: LlmPurpose, error: unknown): LlmCallFailure {
  if (error instanceof OpenAI.APIConnectionTimeoutError) return { model, purpose, status: null, message: "the request timed out", requestId: null };
  if (error instanceof OpenAI.APIConnectionError) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
    return { model, purpose, status: null, message: `could not connect${cause}`, requestId: null };
  }
  if (error instanceof OpenAI.APIError) {
    const body = error.error as { message?: unknown } | undefined;
    const message = typeof body?.message === "string" ? body.message : error.message;
    return { model, purpose, status: error.status ?? null, message, requestId: error.requestID ?? null };
  }
  return { model, purpose, status: null, message: error instanceof Error ? error.message : String(error), requestId: null };
}

/**
 * The global fetch, telling the observer of every attempt that failed: the SDK retries 429s and
 * 5xx inside one `create()` call, so only here can a throttled provider be seen.
 */
export function observedFetch(observer: LlmObserver, model: string): typeof fetch {
  return async (input, init) => {
    try {
      const response = await fetch(input, init);
      if (response.status >= 400) observer.failure(model, `http_${response.status}`);
      return response;
    } catch (error) {
      // An aborted request was stopped on purpose (interrupt, deadline, stall), and counted there.
      if (!init?.signal?.aborted) observer.failure(model, "connection");
      throw error;
    }
  };
}
