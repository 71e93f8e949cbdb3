import { describe, expect, it } from "vitest";
import { failureHint, llmCheckReport } from "../src/cli/llm-check-report.ts";
import type { RoleProbe } from "../src/llm-probe.ts";
import { LlmCalls } from "@spar/protocol";
import { LlmCallStatus } from "../src/llm-status.ts";
import type { ProviderProfile } from "../src/llm-settings.ts";

describe("what a process's model calls learned, for /health", () => {
  it("keeps the last success, the last failure's status and every fallback per role, and tells the next observer", () => {
    let now = new Date("2026-12-02T09:00:00Z");
    const status = new LlmCallStatus(() => now);
    const told: string[] = [];
    const observer = status.observing({
      firstToken: () => {},
      usage: () => {},
      failure: () => {},
      callFailed: (failure) => told.push(`failed ${failure.purpose}`),
      capabilityFellBack: (fallback) => told.push(`fell back ${fallback.capability}`),
    });
    observer.callSucceeded?.("m", "persona");
    now = new Date("2026-12-02T09:01:00Z");
    observer.callFailed?.({ model: "j", purpose: "judge", status: 429, message: "Rate limit reached for sk-…", requestId: "req_1" });
    observer.capabilityFellBack?.({ model: "j", purpose: "judge", capability: "seed", now: "none", providerMessage: "Unsupported parameter: 'seed'" });
    const snapshot = status.snapshot();
    expect(LlmCalls.parse(snapshot)).toEqual({
      persona: { lastSuccessAt: "2026-12-02T09:00:00.000Z", lastFailure: null, fellBack: [] },
      judge: { lastSuccessAt: null, lastFailure: { at: "2026-12-02T09:01:00.000Z", status: 429 }, fellBack: [{ capability: "seed", now: "none", at: "2026-12-02T09:01:00.000Z" }] },
      lastProbe: null,
    });
    // The provider's words stay out of what /health shows.
    expect(JSON.stringify(snapshot)).not.toMatch(/Rate limit|Unsupported/);
    expect(told).toEqual(["failed judge", "fell back seed"]);
  });
});

describe("what spar llm check says to do", () => {
  const profile = (kind: ProviderProfile["kind"]): ProviderProfile => ({
    kind, baseUrl: "http://gpu-box:8000/v1", apiKey: "k", model: "m", azureApiVersion: "2024-10-21", temperature: null, maxTokens: 400, tokenParameter: null,
  });
  const failed = (role: RoleProbe["role"], kind: ProviderProfile["kind"], status: number | null, message = "no"): RoleProbe => ({
    role, profile: profile(kind), ok: false, answer: "", seconds: 0.1, firstTokenSeconds: null, fellBack: [],
    failure: { model: "m", purpose: role, status, message, requestId: null }, problem: "the model service failed",
  });

  it.each([
    [failed("persona", "azure", 404), "Check SPAR_PERSONA_MODEL (the deployment name), SPAR_PERSONA_BASE_URL (https://<resource>.openai.azure.com) and the api-version."],
    [failed("judge", "compatible", 404), "Check SPAR_JUDGE_MODEL and SPAR_JUDGE_BASE_URL (most servers want it to end in /v1)."],
    [failed("judge", "openai", 401), "Check SPAR_JUDGE_API_KEY (or OPENAI_API_KEY)."],
    [failed("persona", "compatible", null, "could not connect: connect ECONNREFUSED"), "Is SPAR_PERSONA_BASE_URL (http://gpu-box:8000/v1) right, and the server running?"],
    [failed("persona", "openai", 429), "The provider is throttling this key (rate limit or quota): check the account, or try again later."],
    [failed("judge", "compatible", 400), "The endpoint refused the request in a way Spar cannot work around: see docs/llm-providers.md for compatible servers."],
  ])("%#: names the setting", (probe, hint) => {
    expect(failureHint(probe)).toBe(hint);
  });

  it("says which role fails in its last line", () => {
    const ok: RoleProbe = { ...failed("judge", "openai", null), ok: true, failure: null, problem: null, answer: "a scorecard of 3 criteria" };
    expect(llmCheckReport([failed("persona", "openai", 401), ok]).split("\n").at(-1)).toBe("The persona does not work: fix what is named above and run `spar llm check` again.");
    expect(llmCheckReport([{ ...ok, role: "persona" }, ok]).split("\n").at(-1)).toBe("Both roles work.");
  });
});
