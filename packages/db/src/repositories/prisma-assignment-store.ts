import type { AssignmentRecord, AssignmentStore } from "@spar/domain";
import type { Prisma, PrismaClient } from "../generated/prisma/client.ts";

const include = { createdBy: { select: { name: true } }, targets: { include: { learner: { select: { name: true } } } } } as const;
type Row = Prisma.AssignmentGetPayload<{ include: typeof include }>;

function toRecord(row: Row): AssignmentRecord {
  return {
    id: row.id,
    scenarioId: row.scenarioId,
    createdByName: row.createdBy.name,
    teamId: row.teamId,
    dueAt: row.dueAt,
    note: row.note,
    createdAt: row.createdAt,
    targets: row.targets
      .map((target) => ({ learnerId: target.learnerId, learnerName: target.learner.name, status: target.status, completedAt: target.completedAt }))
      .sort((a, b) => a.learnerName.localeCompare(b.learnerName)),
  };
}

export class PrismaAssignmentStore implements AssignmentStore {
  constructor(private readonly prisma: PrismaClient) {}

  async create(assignment: { scenarioId: string; createdById: string; teamId: string | null; dueAt: Date | null; note: string | null; learnerIds: string[] }): Promise<AssignmentRecord> {
    const row = await this.prisma.assignment.create({
      data: {
        scenarioId: assignment.scenarioId,
        createdById: assignment.createdById,
        teamId: assignment.teamId,
        dueAt: assignment.dueAt,
        note: assignment.note,
        targets: { create: assignment.learnerIds.map((learnerId) => ({ learnerId })) },
      },
      include,
    });
    return toRecord(row);
  }

  async forLearner(learnerId: string): Promise<AssignmentRecord[]> {
    const rows = await this.prisma.assignment.findMany({
      where: { targets: { some: { learnerId } } },
      include: { ...include, targets: { where: { learnerId }, include: include.targets.include } },
      orderBy: [{ dueAt: { sort: "asc", nulls: "last" } }, { createdAt: "desc" }],
    });
    return rows.map(toRecord);
  }

  async forLearners(learnerIds: readonly string[]): Promise<AssignmentRecord[]> {
    const rows = await this.prisma.assignment.findMany({
      where: { targets: { some: { learnerId: { in: [...learnerIds] } } } },
      include: { ...include, targets: { where: { learnerId: { in: [...learnerIds] } }, include: include.targets.include } },
      orderBy: { createdAt: "desc" },
    });
    return rows.map(toRecord);
  }

  async completeFor(learnerId: string, scenarioId: string, sessionId: string, at: Date): Promise<number> {
    const { count } = await this.prisma.assignmentTarget.updateMany({
      where: { learnerId, status: "open", assignment: { scenarioId } },
      data: { status: "completed", completedAt: at, completedSessionId: sessionId },
    });
    return count;
  }
}
