import {
  type DialogueAct,
  type NewSession,
  PersonaState,
  type PersonaTurnCommit,
  type PracticeStore,
  type SessionRecord,
  type TurnRecord,
} from "@spar/domain";
import type { EndReason } from "@spar/protocol";
import type { Prisma, PrismaClient } from "../generated/prisma/client.ts";

type Transaction = Prisma.TransactionClient;

// Hashes only: the scenario's source text is read when the library lacks that version (rarely).
const sessionInclude = {
  scenarioVersion: { select: { scenarioId: true, contentHash: true } },
  rubricVersion: { select: { contentHash: true } },
  turns: { orderBy: { seq: "asc" } },
} as const;
type SessionRow = Prisma.PracticeSessionGetPayload<{ include: typeof sessionInclude }>;
type TurnRow = SessionRow["turns"][number];

function toTurn(row: TurnRow): TurnRecord {
  return {
    seq: row.seq,
    speaker: row.speaker,
    text: row.text,
    status: row.status,
    acts: row.acts as DialogueAct[],
    clientMessageId: row.clientMessageId,
    at: row.createdAt,
  };
}

function toSession(row: SessionRow): SessionRecord {
  return {
    id: row.id,
    learnerId: row.learnerId,
    scenarioId: row.scenarioVersion.scenarioId,
    scenarioHash: row.scenarioVersion.contentHash,
    rubricHash: row.rubricVersion.contentHash,
    engine: row.engine,
    model: row.model,
    status: row.status,
    endReason: row.endReason as EndReason | null,
    startedAt: row.startedAt,
    endedAt: row.endedAt,
    personaState: PersonaState.parse(row.personaState),
    turns: row.turns.map(toTurn),
  };
}

export class PrismaPracticeStore implements PracticeStore {
  constructor(private readonly prisma: PrismaClient) {}

  async createSession(session: NewSession): Promise<SessionRecord> {
    const [scenario, rubric] = await Promise.all([
      this.prisma.scenarioVersion.findUniqueOrThrow({ where: { contentHash: session.scenarioHash } }),
      this.prisma.rubricVersion.findUniqueOrThrow({ where: { contentHash: session.rubricHash } }),
    ]);
    const row = await this.prisma.practiceSession.create({
      data: {
        learnerId: session.learnerId,
        scenarioVersionId: scenario.id,
        rubricVersionId: rubric.id,
        engine: session.engine,
        model: session.model,
        startedAt: session.at,
        personaState: session.personaState,
        turns: { create: { seq: 1, speaker: "persona", text: session.openingLine, createdAt: session.at } },
      },
      include: sessionInclude,
    });
    return toSession(row);
  }

  /**
   * The session with its versions' hashes and every turn, in one statement: it is read on every
   * learner turn, where Prisma's include would take four.
   */
  async findSession(sessionId: string): Promise<SessionRecord | null> {
    const rows = await this.prisma.$queryRaw<
      (Omit<SessionRecord, "personaState" | "turns"> & { personaState: unknown; turns: (Omit<TurnRecord, "at"> & { at: string })[] })[]
    >`
      SELECT p.id::text AS id, p."learnerId"::text AS "learnerId", v."scenarioId", v."contentHash" AS "scenarioHash",
             r."contentHash" AS "rubricHash", p.engine::text AS engine, p.model, p.status::text AS status, p."endReason",
             p."startedAt", p."endedAt", p."personaState",
             coalesce((
               SELECT json_agg(json_build_object('seq', t.seq, 'speaker', t.speaker, 'text', t.text, 'status', t.status, 'acts', t.acts,
                                                 'clientMessageId', t."clientMessageId", 'at', t."createdAt") ORDER BY t.seq)
               FROM "Turn" t WHERE t."sessionId" = p.id
             ), '[]') AS turns
      FROM "PracticeSession" p
      JOIN "ScenarioVersion" v ON v.id = p."scenarioVersionId"
      JOIN "RubricVersion" r ON r.id = p."rubricVersionId"
      WHERE p.id = ${sessionId}::uuid`;
    const row = rows[0];
    if (!row) return null;
    return {
      ...row,
      personaState: PersonaState.parse(row.personaState),
      turns: row.turns.map((turn) => ({ ...turn, at: new Date(turn.at) })),
    };
  }

  async scenarioSource(contentHash: string): Promise<string | null> {
    const version = await this.prisma.scenarioVersion.findUnique({ where: { contentHash }, select: { source: true } });
    return version?.source ?? null;
  }

  countActiveSessions(learnerId: string, startedAfter: Date): Promise<number> {
    return this.prisma.practiceSession.count({ where: { learnerId, status: "active", startedAt: { gt: startedAfter } } });
  }

  countAttempts(learnerId: string, scenarioId: string): Promise<number> {
    return this.prisma.practiceSession.count({ where: { learnerId, scenarioVersion: { scenarioId } } });
  }

  /** Runs `work` holding the session's row lock, so turns from two connections never interleave. */
  private async locked<T>(sessionId: string, work: (transaction: Transaction, lastSeq: number) => Promise<T>): Promise<T | null> {
    return this.prisma.$transaction(async (transaction) => {
      const rows = await transaction.$queryRaw<{ status: string }[]>`
        SELECT status::text AS status FROM "PracticeSession" WHERE id = ${sessionId}::uuid FOR UPDATE`;
      if (rows[0]?.status !== "active") return null;
      const last = await transaction.turn.aggregate({ where: { sessionId }, _max: { seq: true } });
      return work(transaction, last._max.seq ?? 0);
    });
  }

  async appendLearnerTurn(
    sessionId: string,
    turn: { clientMessageId: string; text: string; acts: DialogueAct[]; at: Date },
  ): Promise<{ turn: TurnRecord; duplicate: boolean } | null> {
    return this.locked(sessionId, async (transaction, lastSeq) => {
      const existing = await transaction.turn.findUnique({
        where: { sessionId_clientMessageId: { sessionId, clientMessageId: turn.clientMessageId } },
      });
      if (existing) return { turn: toTurn(existing), duplicate: true };
      const row = await transaction.turn.create({
        data: {
          sessionId,
          seq: lastSeq + 1,
          speaker: "learner",
          text: turn.text,
          acts: turn.acts,
          clientMessageId: turn.clientMessageId,
          createdAt: turn.at,
        },
      });
      return { turn: toTurn(row), duplicate: false };
    });
  }

  async appendPersonaTurn(sessionId: string, commit: PersonaTurnCommit): Promise<TurnRecord | null> {
    return this.locked(sessionId, async (transaction, lastSeq) => {
      // Another process may have answered already (a resumed connection): one answer only.
      if (lastSeq !== commit.answersSeq) return null;
      const row = await transaction.turn.create({
        data: {
          sessionId,
          seq: lastSeq + 1,
          speaker: "persona",
          text: commit.text,
          status: commit.status,
          createdAt: commit.at,
          inputTokens: commit.usage?.inputTokens ?? null,
          outputTokens: commit.usage?.outputTokens ?? null,
          cachedTokens: commit.usage?.cachedTokens ?? null,
        },
      });
      await transaction.practiceSession.update({
        where: { id: sessionId },
        data: {
          personaState: commit.personaState,
          ...(commit.end ? { status: "ended", endedAt: commit.at, endReason: commit.end, scoringStatus: "pending" } : {}),
        },
      });
      return toTurn(row);
    });
  }

  async endSession(sessionId: string, end: { reason: EndReason; at: Date; closingLine: string | null }): Promise<boolean> {
    const ended = await this.locked(sessionId, async (transaction, lastSeq) => {
      if (end.closingLine) {
        await transaction.turn.create({
          data: { sessionId, seq: lastSeq + 1, speaker: "persona", text: end.closingLine, createdAt: end.at },
        });
      }
      await transaction.practiceSession.update({
        where: { id: sessionId },
        data: { status: "ended", endedAt: end.at, endReason: end.reason, scoringStatus: "pending" },
      });
      return true;
    });
    return ended ?? false;
  }
}
