// The document a person's data export produces: everything Spar holds about one person, in one
// JSON file the person (or their L&D admin on their behalf) can read, keep or hand on.
import { z } from "zod";
import { Role } from "./accounts.ts";
import { AccountStatus } from "./people.ts";
import { TurnInterruption } from "./practice.ts";
import { NextStepView } from "./scorecards.ts";

const Named = z.object({ id: z.string(), name: z.string() });
const Timestamp = z.string().describe("ISO 8601 date and time, UTC.");

export const ExportedTurn = z.object({
  seq: z.number().int(),
  speaker: z.enum(["learner", "persona"]),
  text: z.string(),
  status: z.enum(["complete", "interrupted"]),
  interruption: TurnInterruption.nullable().optional(),
  at: Timestamp,
});

export const ExportedScorecard = z.object({
  id: z.string(),
  createdAt: Timestamp,
  scorer: z.enum(["offline", "llm"]),
  model: z.string().nullable(),
  overall: z.number(),
  passed: z.boolean(),
  nextStep: NextStepView,
  metrics: z.record(z.string(), z.unknown()),
  criteria: z.array(
    z.object({
      criterionId: z.string(),
      competency: z.string(),
      level: z.number().int(),
      rationale: z.string(),
      evidence: z.array(z.object({ turn: z.number().int(), quote: z.string() })),
    }),
  ),
});

export const ExportedSession = z.object({
  id: z.string(),
  scenario: z.object({ id: z.string(), version: z.number().int(), title: z.string() }),
  rubric: z.object({ id: z.string(), version: z.number().int(), title: z.string() }),
  engine: z.enum(["offline", "llm"]),
  model: z.string().nullable(),
  status: z.enum(["active", "ended"]),
  startedAt: Timestamp,
  endedAt: Timestamp.nullable(),
  endReason: z.string().nullable(),
  /** Set when the transcript was erased by the retention period: then `turns` is empty. */
  transcriptErasedAt: Timestamp.nullable(),
  turns: z.array(ExportedTurn),
  scorecards: z.array(ExportedScorecard),
});

export const ExportedAssignment = z.object({
  id: z.string(),
  scenarioId: z.string(),
  assignedBy: Named,
  /** The team it was given to as a whole, when it was. */
  team: z.string().nullable(),
  note: z.string().nullable(),
  dueAt: Timestamp.nullable(),
  createdAt: Timestamp,
  status: z.enum(["open", "completed", "cancelled"]),
  completedAt: Timestamp.nullable(),
  completedSessionId: z.string().nullable(),
});

export const ExportedOneToOne = z.object({
  id: z.string(),
  heldOn: z.string().describe("YYYY-MM-DD"),
  durationMinutes: z.number().int(),
  focusCompetency: z.string().nullable(),
  keyPoints: z.array(z.string()),
  manager: Named,
  agreedActions: z.array(z.object({ text: z.string(), assignmentId: z.string().nullable(), doneAt: Timestamp.nullable() })),
  createdAt: Timestamp,
});

export const ExportedObservation = z.object({
  id: z.string(),
  observedOn: z.string().describe("YYYY-MM-DD"),
  competency: z.string(),
  level: z.number().int(),
  note: z.string(),
  observer: Named,
  createdAt: Timestamp,
});

export const ExportedAuditEntry = z.object({
  id: z.string(),
  at: Timestamp,
  action: z.string(),
  actor: Named.nullable(),
  subject: Named.nullable(),
  resourceType: z.string(),
  resourceId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});

export const PersonExport = z.object({
  format: z.literal("spar-person-export"),
  version: z.literal(1),
  exportedAt: Timestamp,
  person: z.object({
    id: z.string(),
    name: z.string(),
    email: z.string(),
    role: Role,
    status: AccountStatus,
    isDemo: z.boolean(),
    createdAt: Timestamp,
    deactivatedAt: Timestamp.nullable(),
    /** The identity provider's id for the person (SCIM externalId), when provisioned. */
    externalId: z.string().nullable(),
    /** Whether an OpenID Connect account is linked (its subject identifier is not exported). */
    singleSignOnLinked: z.boolean(),
    /** Teams the person practises in. */
    memberOf: z.array(Named),
    /** Teams the person manages. */
    manages: z.array(Named),
  }),
  sessions: z.array(ExportedSession),
  assignments: z.array(ExportedAssignment),
  oneToOnes: z.array(ExportedOneToOne),
  observations: z.array(ExportedObservation),
  /** Entries where the person acted or was acted upon, oldest first. */
  audit: z.array(ExportedAuditEntry),
});
export type PersonExport = z.infer<typeof PersonExport>;
