import type { CreateObservationRequest, CreateOneToOneRequest, ObservationView, OneToOneView } from "@spar/protocol";
import type { PrismaClient } from "../generated/prisma/client.ts";

const day = (date: Date) => date.toISOString().slice(0, 10);

/** One-to-one records and observations of real work, newest first. */
export class PrismaOneToOnes {
  constructor(private readonly prisma: PrismaClient) {}

  async record(managerId: string, learnerId: string, request: CreateOneToOneRequest): Promise<OneToOneView> {
    const row = await this.prisma.oneToOne.create({
      data: {
        managerId,
        learnerId,
        heldOn: new Date(`${request.heldOn}T00:00:00Z`),
        durationMinutes: request.durationMinutes,
        focusCompetency: request.focusCompetency ?? null,
        keyPoints: request.keyPoints,
        actions: { create: request.agreedActions.map((action) => ({ text: action.text, assignmentId: action.assignmentId ?? null })) },
      },
      select: { id: true },
    });
    const [view] = (await this.list(learnerId)).filter((each) => each.id === row.id);
    if (!view) throw new Error("the one-to-one just recorded could not be read back");
    return view;
  }

  async list(learnerId: string): Promise<OneToOneView[]> {
    const rows = await this.prisma.oneToOne.findMany({
      where: { learnerId },
      orderBy: [{ heldOn: "desc" }, { createdAt: "desc" }],
      include: { manager: { select: { name: true } }, actions: { include: { assignment: { include: { targets: { where: { learnerId } } } } } } },
    });
    return rows.map((row) => ({
      id: row.id,
      heldOn: day(row.heldOn),
      durationMinutes: row.durationMinutes,
      focusCompetency: row.focusCompetency,
      keyPoints: row.keyPoints,
      agreedActions: row.actions.map((action) => ({
        text: action.text,
        assignment: action.assignment ? { id: action.assignment.id, status: action.assignment.targets[0]?.status ?? "open" } : null,
      })),
      manager: row.manager.name,
      recordedAt: row.createdAt.toISOString(),
    }));
  }

  async observe(observerId: string, learnerId: string, request: CreateObservationRequest): Promise<ObservationView> {
    const row = await this.prisma.observation.create({
      data: { observerId, learnerId, competency: request.competency, level: request.level, note: request.note, observedOn: new Date(`${request.observedOn}T00:00:00Z`) },
      include: { observer: { select: { name: true } } },
    });
    return { id: row.id, competency: row.competency, level: row.level, note: row.note, observedOn: day(row.observedOn), observer: row.observer.name };
  }

  async observations(learnerId: string): Promise<ObservationView[]> {
    const rows = await this.prisma.observation.findMany({
      where: { learnerId },
      orderBy: [{ observedOn: "desc" }, { createdAt: "desc" }],
      include: { observer: { select: { name: true } } },
    });
    return rows.map((row) => ({ id: row.id, competency: row.competency, level: row.level, note: row.note, observedOn: day(row.observedOn), observer: row.observer.name }));
  }
}
