import { z } from "zod";

export const HeatCell = z
  .object({
    /** Mean level (1-4) over the member's last three scored sessions on this competency. */
    level: z.number(),
    attempts: z.number().int(),
  })
  .nullable();

export const TeamMemberOverview = z.object({
  id: z.string(),
  name: z.string(),
  sessions: z.number().int(),
  lastPracticedAt: z.string().nullable(),
  overall: z.object({ first: z.number(), last: z.number(), change: z.number() }).nullable(),
  /** Overall score of each scored session in the period, oldest first: the trend line. */
  overallPoints: z.array(z.number()),
  heat: z.record(z.string(), HeatCell),
  /** Competencies with no progress over the last `stuckAfter` attempts, below proficient. */
  stuck: z.array(z.string()),
});

export const TeamOverview = z.object({
  team: z.object({ id: z.string(), name: z.string() }),
  range: z.object({ from: z.string().nullable(), to: z.string().nullable() }),
  stuckAfter: z.number().int(),
  competencies: z.array(z.string()),
  members: z.array(TeamMemberOverview),
});
export type TeamOverview = z.infer<typeof TeamOverview>;

const BriefEvidenceView = z.object({ sessionId: z.string(), scenarioTitle: z.string(), turn: z.number().int(), quote: z.string(), rationale: z.string() });

export const PersonBriefView = z.object({
  learner: z.object({ id: z.string(), name: z.string() }),
  recentSessions: z.number().int(),
  criteria: z.array(
    z.object({
      criterionId: z.string(),
      title: z.string(),
      competency: z.string(),
      meanLevel: z.number(),
      attempts: z.number().int(),
      /** The most recent quote the level rested on. */
      evidence: BriefEvidenceView.nullable(),
      /** The most recent quote that counted against the level: what the weakest criteria quote. */
      counterEvidence: BriefEvidenceView.nullable(),
    }),
  ),
  strongest: z.array(z.string()),
  weakest: z.array(z.string()),
  stuck: z.array(z.string()),
  trends: z.array(z.object({ competency: z.string(), points: z.array(z.object({ sessionId: z.string(), at: z.string(), level: z.number() })), change: z.number().nullable() })),
  openAssignments: z.array(z.object({ id: z.string(), scenarioTitle: z.string(), dueAt: z.string().nullable(), overdue: z.boolean() })),
  questions: z.array(z.object({ competency: z.string().nullable(), question: z.string() })),
  readiness: z.array(z.object({ competency: z.string(), score: z.number(), label: z.enum(["ready", "nearly", "not-yet"]), sessions: z.number().int() })),
  readinessExplanation: z.string(),
  assessments: z.array(
    z.object({
      scenarioId: z.string(),
      title: z.string(),
      maxAttempts: z.number().int(),
      attemptsUsed: z.number().int(),
      attemptsLeft: z.number().int(),
      best: z.number().nullable(),
      certified: z.boolean(),
    }),
  ),
});
export type PersonBriefView = z.infer<typeof PersonBriefView>;
