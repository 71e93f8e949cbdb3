import type { TokenUsage } from "@spar/domain";

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
