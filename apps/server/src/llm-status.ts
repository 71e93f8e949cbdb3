import type { LlmObserver, LlmPurpose } from "@spar/llm";
import type { LlmCalls, LlmProbeOutcome, LlmRoleCalls } from "@spar/protocol";
import type { LlmProbe, RoleProbe } from "./llm-probe.ts";

/** Keeps LlmCalls up to date from the observer calls the engines make. */
export class LlmCallStatus {
  private readonly roles: Record<LlmPurpose, LlmRoleCalls> = {
    persona: { lastSuccessAt: null, lastFailure: null, fellBack: [] },
    judge: { lastSuccessAt: null, lastFailure: null, fellBack: [] },
  };

  private lastProbe: LlmCalls["lastProbe"] = null;

  constructor(private readonly now: () => Date = () => new Date()) {}

  /** What the start-up probe found, kept for /health: statuses and timings, never the provider's words. */
  recordProbe(probe: LlmProbe): void {
    const outcome = (role: RoleProbe): LlmProbeOutcome => ({
      ok: role.ok,
      seconds: role.seconds,
      firstTokenSeconds: role.firstTokenSeconds,
      fellBack: role.fellBack.map((fallback) => fallback.capability),
      status: role.failure?.status ?? null,
    });
    this.lastProbe = { at: probe.at.toISOString(), persona: outcome(probe.persona), judge: outcome(probe.judge) };
  }

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
    return structuredClone({ ...this.roles, lastProbe: this.lastProbe });
  }
}
