import type { CriterionResult } from "./scorecard.ts";

/**
 * The lower median: with an even number of samples the lower of the two middle levels, so a
 * split between two samples never rounds a learner up.
 */
export function medianLevel(levels: readonly number[]): number {
  const sorted = [...levels].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? 1;
}

/**
 * One scorecard from several independent judge answers (self-consistency): per criterion the
 * median level, with the rationale and evidence of a sample that gave that level (so the quotes
 * still prove the level they stand beside), and every sample's level kept as the disagreement.
 * One sample is returned as it is.
 */
export function combineSamples(samples: readonly (readonly CriterionResult[])[]): CriterionResult[] {
  const [first, ...rest] = samples;
  if (!first) return [];
  if (rest.length === 0) return [...first];
  return first.map((criterion) => {
    const answers = samples.flatMap((sample) => sample.filter((each) => each.criterionId === criterion.criterionId));
    const levels = answers.map((each) => each.level);
    const median = medianLevel(levels);
    const chosen = answers.find((each) => each.level === median) ?? criterion;
    return { ...chosen, sampleLevels: levels };
  });
}
