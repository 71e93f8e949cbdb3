import type { ProgrammeFacts } from "@spar/domain";
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
          scorecards: {
            orderBy: { createdAt: "desc" },
            take: 1,
            select: { overall: true, passed: true, criteria: { select: { criterionId: true, competency: true, level: true } } },
          },
        },
      }),
      this.prisma.assignmentTarget.findMany({ select: { learnerId: true, status: true } }),
      new PrismaCalibrationRuns(this.prisma).latest(),
    ]);
    return {
      teams: teams.map((team) => ({ name: team.name, memberIds: team.members.map((member) => member.userId) })),
      assessmentScenarios,
      sessions: sessions.map((session) => ({
        learnerId: session.learnerId,
        scenarioId: session.scenarioVersion.scenarioId,
        startedAt: session.startedAt,
        overall: session.scorecards[0]?.overall ?? null,
        passed: session.scorecards[0]?.passed ?? null,
        criteria: session.scorecards[0]?.criteria ?? [],
      })),
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
