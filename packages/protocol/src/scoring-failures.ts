import { z } from "zod";

/**
 * A session whose scoring failed for good, as the L&D admin sees it: which scenario, when the
 * conversation ended, what went wrong and how often it was tried. Nothing of the conversation
 * itself, and nobody's name: retrying needs neither.
 */
export const ScoringFailureView = z.object({
  sessionId: z.string(),
  scenario: z.object({ id: z.string(), title: z.string() }),
  endedAt: z.string().nullable(),
  error: z.string(),
  attempts: z.number().int(),
});
export type ScoringFailureView = z.infer<typeof ScoringFailureView>;

export const ScoringFailureList = z.object({
  /** Which queue runs scoring: a job queue on PostgreSQL, or the embedded database's own worker. */
  engine: z.enum(["pg-boss", "in-process"]),
  failures: z.array(ScoringFailureView),
});
export type ScoringFailureList = z.infer<typeof ScoringFailureList>;

export const ScoringRetryResult = z.object({ queued: z.literal(true) });
