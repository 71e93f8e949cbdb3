import { type BriefScorecard, effectiveLevel, type HistorySession } from "@spar/domain";
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { LatestScore } from "./prisma-scoring-store.ts";
import { storedEvidence } from "./stored-evidence.ts";

export class PrismaHistory {
  constructor(private readonly prisma: PrismaClient) {}

  async learner(learnerId: string): Promise<{ id: string; name: string } | null> {
    return this.prisma.user.findUnique({ where: { id: learnerId }, select: { id: true, name: true } });
  }

  async sessionsOf(learnerId: string): Promise<HistorySession[]> {
    return (await this.sessionsOfMany([learnerId])).get(learnerId) ?? [];
  }

  /** The newest scorecard of each of the learner's scored sessions, newest first, with the levels in force. */
  async scorecardsOf(learnerId: string, take: number): Promise<BriefScorecard[]> {
    const sessions = await this.prisma.practiceSession.findMany({
      where: { learnerId, scorecards: { some: {} } },
      orderBy: { startedAt: "desc" },
      take,
      include: {
        scenarioVersion: { select: { title: true } },
        scorecards: {
          orderBy: { createdAt: "desc" },
          take: 1,
          include: { criteria: { include: { overrides: { orderBy: { seq: "desc" }, take: 1, select: { seq: true, level: true } } } } },
        },
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
            level: effectiveLevel(criterion.level, criterion.overrides),
            rationale: criterion.rationale,
            evidence: storedEvidence(criterion.evidence),
          })),
        },
      ];
    });
  }

  /**
   * Every session of several learners with its newest scorecard in brief, in one query over one
   * index: the team overview reads a whole team at once. The brief is kept on the session row
   * by the scoring store (see PracticeSession.latestScore).
   */
  async sessionsOfMany(learnerIds: readonly string[]): Promise<Map<string, HistorySession[]>> {
    const rows = await this.prisma.$queryRaw<
      {
        id: string;
        learnerId: string;
        scenarioId: string;
        title: string;
        version: number;
        engine: "offline" | "llm";
        status: "active" | "ended";
        startedAt: Date;
        endedAt: Date | null;
        scoring: HistorySession["scoring"];
        latest: LatestScore | null;
      }[]
    >`
      SELECT p.id::text AS id, p."learnerId"::text AS "learnerId", v."scenarioId", v.title, v.version,
             p.engine::text AS engine, p.status::text AS status, p."startedAt", p."endedAt", p."scoringStatus"::text AS scoring,
             p."latestScore" AS latest
      FROM "PracticeSession" p
      JOIN "ScenarioVersion" v ON v.id = p."scenarioVersionId"
      WHERE p."learnerId" = ANY(${[...learnerIds]}::uuid[])
      ORDER BY p."startedAt" DESC`;
    const byLearner = new Map<string, HistorySession[]>(learnerIds.map((id) => [id, []]));
    for (const row of rows) {
      byLearner.get(row.learnerId)?.push({
        id: row.id,
        scenario: { id: row.scenarioId, title: row.title, version: row.version },
        engine: row.engine,
        status: row.status,
        startedAt: row.startedAt,
        endedAt: row.endedAt,
        scoring: row.scoring,
        latest: row.latest,
      });
    }
    return byLearner;
  }
}
