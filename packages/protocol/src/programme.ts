import { z } from "zod";

/** Any group smaller than this is shown as suppressed: programme views never single people out. */
export const minimumGroupSize = 5;

const Suppressed = z.object({ suppressed: z.literal(true), people: z.null() });

export const ProgrammeView = z.object({
  minimumGroupSize: z.number().int(),
  teams: z.array(
    z.union([
      z.object({
        suppressed: z.literal(false),
        team: z.string(),
        people: z.number().int(),
        sessions: z.number().int(),
        activeLearners: z.number().int(),
        assignmentCompletion: z.number().nullable(),
      }),
      Suppressed.extend({ team: z.string() }),
    ]),
  ),
  weakCriteria: z.union([
    z.object({ suppressed: z.literal(false), people: z.number().int(), criteria: z.array(z.object({ criterionId: z.string(), competency: z.string(), weakShare: z.number(), scored: z.number().int() })) }),
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
  calibration: z.array(z.object({ scenarioId: z.string(), passed: z.boolean(), exactAgreement: z.number(), withinOneAgreement: z.number(), createdAt: z.string() })),
});
export type ProgrammeView = z.infer<typeof ProgrammeView>;
