import type { TeamOverview } from "@spar/protocol";
import type { HistorySession } from "../scoring/learner-history.ts";

export interface OverviewOptions {
  /** Attempts on a competency without progress before a person is flagged stuck. */
  stuckAfter: number;
  from: Date | null;
  to: Date | null;
}

const round = (value: number) => Math.round(value * 100) / 100;
const mean = (values: readonly number[]) => round(values.reduce((sum, value) => sum + value, 0) / values.length);

/** Per competency, one level per scored session (mean of its criteria), oldest first. */
function attemptsByCompetency(sessions: readonly HistorySession[]): Map<string, number[]> {
  const attempts = new Map<string, number[]>();
  for (const session of [...sessions].sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime())) {
    const levelsByCompetency = new Map<string, number[]>();
    for (const { competency, level } of session.latest?.criteria ?? []) {
      levelsByCompetency.set(competency, [...(levelsByCompetency.get(competency) ?? []), level]);
    }
    for (const [competency, levels] of levelsByCompetency) {
      const history = attempts.get(competency) ?? [];
      history.push(mean(levels));
      attempts.set(competency, history);
    }
  }
  return attempts;
}

/**
 * Stuck: at least `after` attempts, the last `after` show no gain over the first of them, and
 * they stay below proficient (3).
 */
export function isStuck(levels: readonly number[], after: number): boolean {
  if (levels.length < after) return false;
  const recent = levels.slice(-after);
  const first = recent[0] ?? 0;
  return Math.max(...recent.slice(1)) <= first && mean(recent) < 3;
}

/** What a manager sees of a team before the one-to-ones: volume, recency, trend, gaps, stuck flags. */
export function teamOverview(
  team: { id: string; name: string },
  members: readonly { id: string; name: string; sessions: readonly HistorySession[] }[],
  options: OverviewOptions,
): TeamOverview {
  const inRange = (session: HistorySession) =>
    (!options.from || session.startedAt >= options.from) && (!options.to || session.startedAt <= options.to);
  const rows = members.map((member) => {
    const sessions = member.sessions.filter(inRange);
    const scored = sessions
      .filter((session) => session.latest)
      .sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
    const attempts = attemptsByCompetency(scored);
    const first = scored[0]?.latest?.overall;
    const last = scored.at(-1)?.latest?.overall;
    return {
      id: member.id,
      name: member.name,
      sessions: sessions.length,
      lastPracticedAt:
        sessions
          .map((session) => session.startedAt)
          .sort((a, b) => b.getTime() - a.getTime())[0]
          ?.toISOString() ?? null,
      overall: first !== undefined && last !== undefined ? { first, last, change: round(last - first) } : null,
      overallPoints: scored.map((session) => session.latest?.overall ?? 0),
      attempts,
      stuck: [...attempts.entries()]
        .filter(([, levels]) => isStuck(levels, options.stuckAfter))
        .map(([competency]) => competency)
        .sort(),
    };
  });
  const competencies = [...new Set(rows.flatMap((row) => [...row.attempts.keys()]))].sort();
  return {
    team,
    range: { from: options.from?.toISOString() ?? null, to: options.to?.toISOString() ?? null },
    stuckAfter: options.stuckAfter,
    competencies,
    members: rows.map(({ attempts, ...row }) => ({
      ...row,
      heat: Object.fromEntries(
        competencies.map((competency) => {
          const levels = attempts.get(competency);
          return [competency, levels ? { level: mean(levels.slice(-3)), attempts: levels.length } : null];
        }),
      ),
    })),
  };
}
