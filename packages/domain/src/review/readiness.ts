/**
 * Readiness per competency: a recency-weighted mean of the person's recent session levels, so
 * last week's practice counts more than last month's. The newest session weighs 1, the one
 * before 0.7, then 0.49, and so on, over at most five sessions.
 */
export const readinessRule = {
  sessions: 5,
  decay: 0.7,
  ready: 3,
  nearly: 2.5,
  explanation:
    "Readiness is the average level of the last five scored sessions on this competency, the newest counting most " +
    "(each older session counts 70% as much as the one after it). Ready from 3.0 (proficient), nearly from 2.5.",
} as const;

export type ReadinessLabel = "ready" | "nearly" | "not-yet";

export function readiness(levelsOldestFirst: readonly number[]): { score: number; label: ReadinessLabel; sessions: number } | null {
  const recent = levelsOldestFirst.slice(-readinessRule.sessions).reverse();
  if (recent.length === 0) return null;
  let weighted = 0;
  let weights = 0;
  recent.forEach((level, age) => {
    const weight = readinessRule.decay ** age;
    weighted += level * weight;
    weights += weight;
  });
  const score = Math.round((weighted / weights) * 100) / 100;
  const label: ReadinessLabel = score >= readinessRule.ready ? "ready" : score >= readinessRule.nearly ? "nearly" : "not-yet";
  return { score, label, sessions: recent.length };
}

export interface AssessmentAttempt {
  overall: number | null;
  passed: boolean | null;
}

/** An assessment scenario: a limited number of attempts, the best one counts. */
export function assessmentStatus(maxAttempts: number, attempts: readonly AssessmentAttempt[]) {
  const scored = attempts.filter((attempt) => attempt.overall !== null);
  const best = scored.reduce<AssessmentAttempt | null>((top, attempt) => (top === null || (attempt.overall ?? 0) > (top.overall ?? 0) ? attempt : top), null);
  return {
    attemptsUsed: attempts.length,
    attemptsLeft: Math.max(0, maxAttempts - attempts.length),
    best: best?.overall ?? null,
    certified: best?.passed === true,
  };
}
