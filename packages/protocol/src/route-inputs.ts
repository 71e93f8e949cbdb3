// What routes read from the path and the query string, beside the bodies each feature's module
// defines. Every route parses its input with a schema from this package: one place decides what
// a request may carry, and the hostile-input tests walk these schemas.
import { z } from "zod";
import { text } from "./text.ts";

export const SessionParams = z.object({ sessionId: z.uuid({ message: "must be a session id" }) });
export const LearnerParams = z.object({ learnerId: z.uuid({ message: "must be a person's id" }) });
export const PersonParams = z.object({ personId: z.uuid({ message: "must be a person's id" }) });
export const TeamParams = z.object({ teamId: z.uuid({ message: "must be a team id" }) });
export const ScorecardParams = z.object({ scorecardId: z.uuid({ message: "must be a scorecard id" }) });
export const CriterionParams = ScorecardParams.extend({
  criterionId: text().regex(/^[a-z0-9][a-z0-9-]{0,79}$/, { message: "must be a criterion id from the rubric" }),
});
export const TurnParams = SessionParams.extend({
  turn: z.coerce.number({ message: "must be a turn number" }).int({ message: "must be a turn number" }).min(1, { message: "must be a turn number" }),
});
export const ScenarioParams = z.object({ scenarioId: text().max(100) });
/** `scenario`, `rubric` or `example`, with or without `.schema.json`; anything else is a 404. */
export const SchemaKindParams = z.object({ kind: text().max(100) });
export const ProgrammeTableParams = z.object({
  table: z.enum(["teams.csv", "weak-criteria.csv", "movement.csv", "assessments.csv", "overrides.csv", "calibration.csv"]),
});
/** A one-time link's token, as the link carries it. */
export const LinkTokenParams = z.object({ token: text().regex(/^[\w-]{20,100}$/, { message: "is not a link token" }) });

/** How many attempts without progress flag a competency as stuck. */
const StuckAfter = z.coerce.number().int().min(2).max(20).default(3);
export const TeamOverviewQuery = z.object({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  stuckAfter: StuckAfter,
});
export const PersonBriefQuery = z.object({ stuckAfter: StuckAfter });

/** Where to go after single sign-on; anything unusable is dropped (the home page), never an error mid-redirect. */
export const SsoLoginQuery = z.object({ returnTo: text().max(2_000).optional().catch(undefined) });
