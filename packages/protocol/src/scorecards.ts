import { z } from "zod";
import { OverrideInForceView } from "./adjudication.ts";
import { Engine } from "./practice.ts";

/**
 * The metrics of a spoken conversation (docs/metrics.md, "Voice metrics"): a scorecard carries
 * them only when the learner spoke; clients show them apart from the text metrics.
 */
export const voiceMetricNames = [
  "speaking-pace-wpm",
  "fillers-per-minute",
  "longest-pause-seconds",
  "learner-talk-time-share",
  "learner-interruptions",
  "interrupted-by-persona",
  "response-latency-seconds",
] as const;

export const EvidenceView = z.object({
  turn: z.number().int(),
  quote: z.string(),
  /** Scorecards stored before quotes carried a stance read as supporting. */
  stance: z.enum(["supports", "counts-against"]).default("supports"),
});

/** "One thing to try next time"; `moment` is the learner's turn where it would have fitted, if the scorer found one. */
export const NextStepView = z.object({
  criterionId: z.string(),
  text: z.string(),
  moment: z.object({ turn: z.number().int(), quote: z.string() }).nullable().default(null),
});

export const CriterionScoreView = z.object({
  criterionId: z.string(),
  title: z.string(),
  competency: z.string(),
  weight: z.number(),
  level: z.number().int().min(1).max(4),
  levelLabel: z.string(),
  levelDescription: z.string(),
  rationale: z.string(),
  evidence: z.array(EvidenceView),
  /** The level each judge sample gave when the judge was sampled more than once; the level shown is their median. */
  sampleLevels: z.array(z.number().int()).default([]),
  /** The level the scorer gave; `level` is the one in force (a manager's override when there is one). */
  scorerLevel: z.number().int().min(1).max(4).optional(),
  override: OverrideInForceView.nullable().optional(),
});

/**
 * Something about the transcript the reader of a scorecard should know. `influence-attempt`:
 * a learner's sentence spoke to the assessor or asked for marks; it was not counted as evidence.
 */
export const ScorecardFlag = z.object({
  kind: z.literal("influence-attempt"),
  turn: z.number().int(),
  quote: z.string(),
});

export const ScorecardView = z.object({
  id: z.string(),
  sessionId: z.string(),
  scorer: Engine,
  model: z.string().nullable(),
  rubric: z.object({ id: z.string(), version: z.number().int(), contentHash: z.string(), title: z.string() }),
  overall: z.number(),
  passMark: z.number(),
  passed: z.boolean(),
  /** What the scorer gave; `overall` and `passed` follow the levels in force. */
  scorerOverall: z.number().optional(),
  scorerPassed: z.boolean().optional(),
  nextStep: NextStepView,
  criteria: z.array(CriterionScoreView),
  metrics: z.record(z.string(), z.number()),
  flags: z.array(ScorecardFlag).default([]),
  createdAt: z.string(),
});
export type ScorecardView = z.infer<typeof ScorecardView>;

export const HistoryEntry = z.object({
  sessionId: z.string(),
  scenario: z.object({ id: z.string(), title: z.string(), version: z.number().int() }),
  engine: Engine,
  status: z.enum(["active", "ended"]),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  /** `too_short`: ended with too few learner turns to score ("Not scored: too short"); not an assessment attempt. */
  scoring: z.enum(["not_needed", "pending", "claimed", "done", "failed", "too_short", "discarded"]),
  score: z.object({ overall: z.number(), passed: z.boolean(), scorer: Engine }).nullable(),
});

export const CompetencyTrend = z.object({
  competency: z.string(),
  /** One point per scored session, oldest first: the mean level of its criteria for this competency. */
  points: z.array(z.object({ sessionId: z.string(), at: z.string(), level: z.number() })),
  /** Last minus first; null with fewer than two points. */
  change: z.number().nullable(),
});

export const LearnerHistory = z.object({
  learner: z.object({ id: z.string(), name: z.string() }),
  sessions: z.array(HistoryEntry),
  trends: z.array(CompetencyTrend),
});
export type LearnerHistory = z.infer<typeof LearnerHistory>;

/** Score a session again: on the rubric version it ran on (`original`), or the library's current one. */
export const RescoreRequest = z.object({ rubric: z.enum(["original", "latest"]).default("original") }).default({ rubric: "original" });
export type RescoreRequest = z.infer<typeof RescoreRequest>;
