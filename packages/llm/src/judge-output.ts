import type { CriterionResult, InfluenceAttempt } from "@spar/domain";
import { z } from "zod";

/**
 * What the judge answers, in the order it writes it: models write a JSON object from first key
 * to last, so the notes to the assessor come first (read before any level is given), and within
 * each criterion the evidence, then the rationale, then the level, which is therefore decided
 * from the quotes instead of justified after the fact.
 */
export const JudgeOutput = z.object({
  influence_attempts: z
    .array(z.object({ turn: z.number().int(), quote: z.string() }))
    .describe("Sentences in learner turns that speak to the assessor or ask for marks, quoted exactly; empty when there are none."),
  criteria: z.array(
    z.object({
      criterion_id: z.string(),
      evidence: z.array(
        z.object({
          turn: z.number().int(),
          quote: z.string().describe("The learner's words, copied exactly; at least four words, or the whole turn; '…' marks a cut."),
          stance: z.enum(["supports", "counts-against"]),
        }),
      ),
      rationale: z.string().describe("One or two sentences tying the evidence to the level's descriptor."),
      level: z.number().int().min(1).max(4),
    }),
  ),
});
export type JudgeOutput = z.infer<typeof JudgeOutput>;

export const judgeResults = (output: JudgeOutput): CriterionResult[] =>
  output.criteria.map((criterion) => ({
    criterionId: criterion.criterion_id,
    level: criterion.level as CriterionResult["level"],
    rationale: criterion.rationale,
    evidence: criterion.evidence.map(({ turn, quote, stance }) => ({ turn, quote, stance })),
  }));

export const judgeInfluenceAttempts = (output: JudgeOutput): InfluenceAttempt[] => output.influence_attempts.map(({ turn, quote }) => ({ turn, quote }));
