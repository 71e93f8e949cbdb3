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

/** One role's answer to the start-up probe (the same small question `spar llm check` asks). */
export const LlmProbeOutcome = z.object({
  ok: z.boolean(),
  seconds: z.number(),
  firstTokenSeconds: z.number().nullable(),
  /** What the endpoint refused and Spar now does without. */
  fellBack: z.array(z.string()),
  /** The HTTP status of a call that failed for good; null when none did or it never answered. */
  status: z.number().int().nullable(),
});
export type LlmProbeOutcome = z.infer<typeof LlmProbeOutcome>;

export const LlmCalls = z.object({
  persona: LlmRoleCalls,
  judge: LlmRoleCalls,
  /** The probe this process ran at start-up (SPAR_LLM_PROBE), once it has answered; null before or without one. */
  lastProbe: z.object({ at: z.iso.datetime(), persona: LlmProbeOutcome, judge: LlmProbeOutcome }).nullable().optional(),
});
export type LlmCalls = z.infer<typeof LlmCalls>;

export const HealthResponse = z.object({
  status: z.enum(["ok", "degraded"]),
  version: z.string(),
  database: z.object({
    kind: z.enum(["pglite", "postgresql"]),
    reachable: z.boolean(),
    migration: z.string().nullable().describe("The newest applied migration."),
  }),
  llm: z.object({
    engine: z.enum(["offline", "openai-compatible"]),
    personaModel: z.string().nullable(),
    judgeModel: z.string().nullable(),
    calls: LlmCalls.optional().describe("What this process's model calls have shown since it started (LLM engine only)."),
  }),
});
export type HealthResponse = z.infer<typeof HealthResponse>;
