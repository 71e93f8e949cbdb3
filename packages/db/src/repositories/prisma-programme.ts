import { effectiveLevel, type HistorySession, type ProgrammeFacts } from "@spar/domain";
import type { PrismaClient } from "../generated/prisma/client.ts";
import { PrismaCalibrationRuns } from "./prisma-calibration-runs.ts";

/** The raw facts behind the programme view; only aggregates of them ever leave the server. */
export class PrismaProgramme {
  constructor(private readonly prisma: PrismaClient) {}

  async facts(assessmentScenarios: ProgrammeFacts["assessmentScenarios"]): Promise<ProgrammeFacts> {
    const [teams, sessions, targets, calibration] = await Promise.all([
      this.prisma.team.findMany({ orderBy: { name: "asc" }, include: { members: { where: { role: "member" }, select: { userId: true } } } }),
      this.prisma.practiceSession.findMany({
        where: { status: "ended" },
        select: {
          learnerId: true,
          startedAt: true,
          scenarioVersion: { select: { scenarioId: true } },
          // Kept in step with managers' overrides of the newest scorecard: its overall and pass as they stand.
          latestScore: true,
          scorecards: {
            orderBy: { createdAt: "desc" },
            take: 1,
            select: {
              overall: true,
              passed: true,
              rubricVersion: { select: { rubricId: true } },
              criteria: {
                select: {
                  criterionId: true,
                  competency: true,
                  level: true,
                  overrides: { orderBy: { seq: "desc" }, take: 1, select: { seq: true, level: true } },
                },
              },
            },
          },
        },
      }),
      this.prisma.assignmentTarget.findMany({ select: { learnerId: true, status: true } }),
      new PrismaCalibrationRuns(this.prisma).latest(),
    ]);
    return {
      teams: teams.map((team) => ({ name: team.name, memberIds: team.members.map((member) => member.userId) })),
      assessmentScenarios,
      sessions: sessions.map((session) => {
        const scorecard = session.scorecards[0];
        const latest = session.latestScore as HistorySession["latest"];
        return {
          learnerId: session.learnerId,
          scenarioId: session.scenarioVersion.scenarioId,
          rubricId: scorecard?.rubricVersion.rubricId,
          startedAt: session.startedAt,
          overall: scorecard ? (latest?.overall ?? scorecard.overall) : null,
          passed: scorecard ? (latest?.passed ?? scorecard.passed) : null,
          criteria: (scorecard?.criteria ?? []).map((criterion) => ({
            criterionId: criterion.criterionId,
            competency: criterion.competency,
            level: effectiveLevel(criterion.level, criterion.overrides),
            scorerLevel: criterion.level,
          })),
        };
      }),
      assignmentTargets: targets,
      calibration: calibration.map((run) => ({
        scenarioId: run.scenarioId,
        passed: run.passed,
        exactAgreement: run.exactAgreement,
        withinOneAgreement: run.withinOneAgreement,
        createdAt: run.createdAt.toISOString(),
      })),
    };
  }
}
