import type { LlmObserver, LlmPurpose } from "@spar/llm";
import { z } from "zod";

/**
 * What this process's own model calls have shown of one role's endpoint since it started: when a
 * call last got its answer, when one last failed for good (and with which HTTP status), and which
 * features the endpoint refused, so Spar asks without them. /health is public, so the provider's
 * words stay in the log and only the status is shown.
 */
export const LlmRoleCalls = z.object({
  lastSuccessAt: z.iso.datetime().nullable(),
  lastFailure: z.object({ at: z.iso.datetime(), status: z.number().int().nullable() }).nullable(),
  fellBack: z.array(z.object({ capability: z.string(), now: z.string(), at: z.iso.datetime() })),
});
export type LlmRoleCalls = z.infer<typeof LlmRoleCalls>;

export const LlmCalls = z.object({ persona: LlmRoleCalls, judge: LlmRoleCalls });
export type LlmCalls = z.infer<typeof LlmCalls>;

/** Keeps LlmCalls up to date from the observer calls the engines make. */
export class LlmCallStatus {
  private readonly roles: Record<LlmPurpose, LlmRoleCalls> = {
    persona: { lastSuccessAt: null, lastFailure: null, fellBack: [] },
    judge: { lastSuccessAt: null, lastFailure: null, fellBack: [] },
  };

  constructor(private readonly now: () => Date = () => new Date()) {}

  /** An observer that records into this status, then tells `next`. */
  observing(next?: LlmObserver): LlmObserver {
    return {
      firstToken: (model, seconds) => next?.firstToken(model, seconds),
      usage: (model, purpose, usage) => next?.usage(model, purpose, usage),
      failure: (model, code) => next?.failure(model, code),
      callFailed: (failure) => {
        this.roles[failure.purpose].lastFailure = { at: this.now().toISOString(), status: failure.status };
        next?.callFailed?.(failure);
      },
      callSucceeded: (model, purpose) => {
        this.roles[purpose].lastSuccessAt = this.now().toISOString();
        next?.callSucceeded?.(model, purpose);
      },
      capabilityFellBack: (fallback) => {
        this.roles[fallback.purpose].fellBack.push({ capability: fallback.capability, now: fallback.now, at: this.now().toISOString() });
        next?.capabilityFellBack?.(fallback);
      },
    };
  }

  snapshot(): LlmCalls {
    return structuredClone(this.roles);
  }
}
