import type { BriefScorecard, HistorySession } from "@spar/domain";
import type { PrismaClient } from "../generated/prisma/client.ts";

export class PrismaHistory {
  constructor(private readonly prisma: PrismaClient) {}

  async learner(learnerId: string): Promise<{ id: string; name: string } | null> {
    return this.prisma.user.findUnique({ where: { id: learnerId }, select: { id: true, name: true } });
  }

  async sessionsOf(learnerId: string): Promise<HistorySession[]> {
    const rows = await this.prisma.practiceSession.findMany({
      where: { learnerId },
      orderBy: { startedAt: "desc" },
      include: {
        scenarioVersion: { select: { scenarioId: true, title: true, version: true } },
        scorecards: { orderBy: { createdAt: "desc" }, take: 1, include: { criteria: { select: { competency: true, level: true } } } },
      },
    });
    return rows.map((row) => {
      const latest = row.scorecards[0];
      return {
        id: row.id,
        scenario: { id: row.scenarioVersion.scenarioId, title: row.scenarioVersion.title, version: row.scenarioVersion.version },
        engine: row.engine,
        status: row.status,
        startedAt: row.startedAt,
        endedAt: row.endedAt,
        scoring: row.scoringStatus,
        latest: latest ? { overall: latest.overall, passed: latest.passed, scorer: latest.scorer, criteria: latest.criteria } : null,
      };
    });
  }

  /** The newest scorecard of each of the learner's scored sessions, newest first. */
  async scorecardsOf(learnerId: string, take: number): Promise<BriefScorecard[]> {
    const sessions = await this.prisma.practiceSession.findMany({
      where: { learnerId, scorecards: { some: {} } },
      orderBy: { startedAt: "desc" },
      take,
      include: {
        scenarioVersion: { select: { title: true } },
        scorecards: { orderBy: { createdAt: "desc" }, take: 1, include: { criteria: true } },
      },
    });
    return sessions.flatMap((session) => {
      const scorecard = session.scorecards[0];
      if (!scorecard) return [];
      return [
        {
          sessionId: session.id,
          scenarioTitle: session.scenarioVersion.title,
          at: session.startedAt,
          criteria: scorecard.criteria.map((criterion) => ({
            criterionId: criterion.criterionId,
            competency: criterion.competency,
            level: criterion.level,
            rationale: criterion.rationale,
            evidence: criterion.evidence as { turn: number; quote: string }[],
          })),
        },
      ];
    });
  }
}
