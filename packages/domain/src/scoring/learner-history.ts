import type { LearnerHistory } from "@spar/protocol";

export interface HistorySession {
  id: string;
  scenario: { id: string; title: string; version: number };
  engine: "offline" | "llm";
  status: "active" | "ended";
  startedAt: Date;
  endedAt: Date | null;
  scoring: "not_needed" | "pending" | "claimed" | "done" | "failed" | "too_short" | "discarded";
  /** The newest scorecard, if any. */
  latest: { overall: number; passed: boolean; scorer: "offline" | "llm"; criteria: { competency: string; level: number }[] } | null;
}

const mean = (values: readonly number[]) => Math.round((values.reduce((sum, value) => sum + value, 0) / values.length) * 100) / 100;

/** A learner's sessions, newest first, and per competency the trend of their scored sessions, oldest first. */
export function learnerHistory(learner: { id: string; name: string }, sessions: readonly HistorySession[]): LearnerHistory {
  const chronological = [...sessions].sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
  const byCompetency = new Map<string, { sessionId: string; at: string; level: number }[]>();
  for (const session of chronological) {
    if (!session.latest) continue;
    const competencies = new Set(session.latest.criteria.map((criterion) => criterion.competency));
    for (const competency of competencies) {
      const levels = session.latest.criteria.filter((criterion) => criterion.competency === competency).map((criterion) => criterion.level);
      const points = byCompetency.get(competency) ?? [];
      points.push({ sessionId: session.id, at: (session.endedAt ?? session.startedAt).toISOString(), level: mean(levels) });
      byCompetency.set(competency, points);
    }
  }
  return {
    learner,
    sessions: [...chronological].reverse().map((session) => ({
      sessionId: session.id,
      scenario: session.scenario,
      engine: session.engine,
      status: session.status,
      startedAt: session.startedAt.toISOString(),
      endedAt: session.endedAt?.toISOString() ?? null,
      scoring: session.scoring,
      score: session.latest ? { overall: session.latest.overall, passed: session.latest.passed, scorer: session.latest.scorer } : null,
    })),
    trends: [...byCompetency.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([competency, points]) => ({
        competency,
        points,
        change: points.length < 2 ? null : Math.round(((points.at(-1)?.level ?? 0) - (points[0]?.level ?? 0)) * 100) / 100,
      })),
  };
}
