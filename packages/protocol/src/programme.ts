import { z } from "zod";
import { text } from "./text.ts";

/** Any group smaller than this is shown as suppressed: programme views never single people out. */
export const minimumGroupSize = 5;

const Suppressed = z.object({ suppressed: z.literal(true), people: z.null() });

/**
 * A figure that rests on fewer people than the minimum group, withheld on its own even in a row
 * that is shown (a team of six where two practised: its session count is theirs alone).
 */
export const withheld = "suppressed" as const;
const Withheld = z.literal(withheld);

export const ProgrammeView = z.object({
  minimumGroupSize: z.number().int(),
  teams: z.array(
    z.union([
      z.object({
        suppressed: z.literal(false),
        team: z.string(),
        people: z.number().int(),
        /** Sessions of the people who practised: withheld when fewer than the minimum practised. */
        sessions: z.union([z.number().int(), Withheld]),
        activeLearners: z.number().int(),
        /** Share of assignment targets completed; null with none, withheld when few people have any. */
        assignmentCompletion: z.union([z.number(), z.null(), Withheld]),
      }),
      Suppressed.extend({ team: z.string() }),
    ]),
  ),
  weakCriteria: z.union([
    z.object({
      suppressed: z.literal(false),
      people: z.number().int(),
      /**
       * The ten weakest criteria among those scored for at least the minimum group of people, then
       * (by id, so their order tells nothing) those scored for fewer, suppressed on their own.
       */
      criteria: z.array(
        z.union([
          z.object({ suppressed: z.literal(false), criterionId: z.string(), competency: z.string(), people: z.number().int(), weakShare: z.number(), scored: z.number().int() }),
          Suppressed.extend({ criterionId: z.string(), competency: z.string() }),
        ]),
      ),
    }),
    Suppressed,
  ]),
  movement: z.array(
    z.union([
      z.object({ suppressed: z.literal(false), group: z.enum(["practise-more", "practise-less"]), people: z.number().int(), firstOverall: z.number(), lastOverall: z.number(), change: z.number() }),
      Suppressed.extend({ group: z.enum(["practise-more", "practise-less"]) }),
    ]),
  ),
  assessments: z.array(
    z.union([
      z.object({ suppressed: z.literal(false), scenario: z.string(), people: z.number().int(), certified: z.number().int() }),
      Suppressed.extend({ scenario: z.string() }),
    ]),
  ),
  /** Per rubric and criterion: how often and which way managers overrode the scorer's level. */
  overrides: z.array(
    z.union([
      z.object({
        suppressed: z.literal(false),
        rubricId: z.string(),
        criterionId: z.string(),
        people: z.number().int(),
        /** Scorecards that scored this criterion (each session's newest). */
        scored: z.number().int(),
        /** Of those, how many a manager set to another level, and which way. */
        overridden: z.number().int(),
        up: z.number().int(),
        down: z.number().int(),
        /** Mean of manager's level minus scorer's level over the overridden ones; null with none. */
        meanChange: z.number().nullable(),
      }),
      Suppressed.extend({ rubricId: z.string(), criterionId: z.string() }),
    ]),
  ),
  calibration: z.array(z.object({ scenarioId: z.string(), passed: z.boolean(), exactAgreement: z.number(), withinOneAgreement: z.number(), createdAt: z.string() })),
});
export type ProgrammeView = z.infer<typeof ProgrammeView>;

/**
 * L&D rescores every ended session of a rubric at once, after the rubric changed: with the
 * library's latest version (the usual case) or each session's own.
 */
export const ProgrammeRescoreRequest = z.object({
  rubricId: text().min(1).max(120),
  rubric: z.enum(["original", "latest"]).default("latest"),
});
export type ProgrammeRescoreRequest = z.infer<typeof ProgrammeRescoreRequest>;

export const ProgrammeRescoreResult = z.object({ queued: z.number().int() });
export type ProgrammeRescoreResult = z.infer<typeof ProgrammeRescoreResult>;
