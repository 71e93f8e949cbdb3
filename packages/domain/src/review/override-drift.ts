import { minimumGroupSize, type ProgrammeView } from "@spar/protocol";

export interface DriftSession {
  learnerId: string;
  /** Unset for sessions whose scorecard predates the facts carrying it: they are left out. */
  rubricId?: string;
  criteria: { criterionId: string; level: number; scorerLevel?: number }[];
}

const round = (value: number) => Math.round(value * 100) / 100;

/**
 * How often, and which way, managers moved the scorer's level, per rubric and criterion: the
 * scorer's drift as the people who know the learners measure it. A criterion counts as overridden
 * when the level in force differs from the scorer's (an override back to the scorer's level
 * cancels one). A row rests on the scorecards of at least `minimumGroupSize` people, or it is
 * suppressed like every other programme figure.
 */
export function overrideDrift(sessions: readonly DriftSession[]): ProgrammeView["overrides"] {
  const rows = new Map<string, { rubricId: string; criterionId: string; people: Set<string>; scored: number; changes: number[] }>();
  for (const session of sessions) {
    if (!session.rubricId) continue;
    for (const criterion of session.criteria) {
      const key = `${session.rubricId}\u0000${criterion.criterionId}`;
      const row = rows.get(key) ?? { rubricId: session.rubricId, criterionId: criterion.criterionId, people: new Set(), scored: 0, changes: [] };
      row.people.add(session.learnerId);
      row.scored += 1;
      const change = criterion.level - (criterion.scorerLevel ?? criterion.level);
      if (change !== 0) row.changes.push(change);
      rows.set(key, row);
    }
  }
  return [...rows.values()]
    .sort((a, b) => a.rubricId.localeCompare(b.rubricId) || a.criterionId.localeCompare(b.criterionId))
    .map((row) => {
      if (row.people.size < minimumGroupSize) return { suppressed: true as const, people: null, rubricId: row.rubricId, criterionId: row.criterionId };
      return {
        suppressed: false as const,
        rubricId: row.rubricId,
        criterionId: row.criterionId,
        people: row.people.size,
        scored: row.scored,
        overridden: row.changes.length,
        up: row.changes.filter((change) => change > 0).length,
        down: row.changes.filter((change) => change < 0).length,
        meanChange: row.changes.length === 0 ? null : round(row.changes.reduce((sum, change) => sum + change, 0) / row.changes.length),
      };
    });
}
