import { type PracticeSessionViews, personaNameFromSource } from "@spar/domain";
import type { PracticeSessionView, TurnInterruption } from "@spar/protocol";
import type { PrismaClient } from "../generated/prisma/client.ts";

export class PrismaPracticeSessionViews implements PracticeSessionViews {
  constructor(private readonly prisma: PrismaClient) {}

  async findSessionView(sessionId: string): Promise<PracticeSessionView | null> {
    const session = await this.prisma.practiceSession.findUnique({
      where: { id: sessionId },
      include: {
        learner: { select: { id: true, name: true } },
        scenarioVersion: true,
        rubricVersion: true,
        turns: { orderBy: { seq: "asc" } },
      },
    });
    if (!session) return null;
    return {
      id: session.id,
      learner: session.learner,
      scenario: {
        id: session.scenarioVersion.scenarioId,
        version: session.scenarioVersion.version,
        title: session.scenarioVersion.title,
        contentHash: session.scenarioVersion.contentHash,
      },
      persona: { name: personaNameFromSource(session.scenarioVersion.contentHash, session.scenarioVersion.source) },
      rubric: {
        id: session.rubricVersion.rubricId,
        version: session.rubricVersion.version,
        contentHash: session.rubricVersion.contentHash,
      },
      engine: session.engine,
      model: session.model,
      status: session.status,
      startedAt: session.startedAt.toISOString(),
      endedAt: session.endedAt?.toISOString() ?? null,
      turns: session.turns.map((turn) => ({
        seq: turn.seq,
        speaker: turn.speaker,
        text: turn.text,
        status: turn.status,
        interruption: turn.interruption as TurnInterruption | null,
        ...(turn.guarded ? { guarded: true } : {}),
        acts: turn.acts,
        at: turn.createdAt.toISOString(),
      })),
    };
  }
}
