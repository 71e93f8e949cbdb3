import { type PracticeSessionViews, type Scenario, scenarioFromSource, visibleMood } from "@spar/domain";
import type { PracticeSessionView, TurnInterruption } from "@spar/protocol";
import type { PrismaClient } from "../generated/prisma/client.ts";
import { moodOfColumns } from "./prisma-practice-store.ts";

export class PrismaPracticeSessionViews implements PracticeSessionViews {
  constructor(private readonly prisma: PrismaClient) {}

  async findSessionView(sessionId: string): Promise<PracticeSessionView | null> {
    const session = await this.prisma.practiceSession.findUnique({
      where: { id: sessionId },
      include: {
        learner: { select: { id: true, name: true } },
        scenarioVersion: true,
        rubricVersion: true,
        turns: { orderBy: { seq: "asc" }, include: { audio: { select: { durationMs: true } } } },
      },
    });
    if (!session) return null;
    const scenario = storedScenario(session.scenarioVersion.contentHash, session.scenarioVersion.source);
    return {
      id: session.id,
      learner: session.learner,
      scenario: {
        id: session.scenarioVersion.scenarioId,
        version: session.scenarioVersion.version,
        title: session.scenarioVersion.title,
        contentHash: session.scenarioVersion.contentHash,
      },
      // "Persona", and no mood, when the stored text no longer reads as a scenario: the session stays readable.
      persona: { name: scenario?.persona.name ?? "Persona" },
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
      turns: session.turns.map((turn) => {
        const mood = scenario ? visibleMood(scenario, moodOfColumns(turn)) : undefined;
        return {
          seq: turn.seq,
          speaker: turn.speaker,
          text: turn.text,
          status: turn.status,
          interruption: turn.interruption as TurnInterruption | null,
          ...(turn.guarded ? { guarded: true } : {}),
          acts: turn.acts,
          at: turn.createdAt.toISOString(),
          ...(mood ? { mood } : {}),
          ...(turn.speech !== null ? { spoken: true } : {}),
          ...(turn.audio ? { audio: true } : {}),
        };
      }),
    };
  }
}

/** The scenario version a session ran on, from its stored text; null if that no longer parses. */
function storedScenario(contentHash: string, source: string): Scenario | null {
  try {
    return scenarioFromSource(contentHash, source);
  } catch {
    return null;
  }
}
