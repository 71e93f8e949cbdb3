import {
  type CreateOutcome,
  type DialogueAct,
  type Interruption,
  type LearnerTurnOutcome,
  type OpenSessionSummary,
  minLearnerTurnsToScore,
  type NewSession,
  PersonaState,
  type PersonaTurnCommit,
  type PracticeStore,
  type SessionEnding,
  type SessionRecord,
  type StartLimits,
  speechOf,
  type TurnRecord,
  type TurnSpeech,
} from "@spar/domain";
import type { EndReason, PersonaMood } from "@spar/protocol";
import { v7 as uuidv7 } from "uuid";
import { Prisma, type PrismaClient } from "../generated/prisma/client.ts";

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
    interruption: row.interruption as Interruption | null,
    guarded: row.guarded,
    acts: row.acts as DialogueAct[],
    clientMessageId: row.clientMessageId,
    at: row.createdAt,
    mood: moodOfColumns(row),
    speech: speechOf(row.speech),
  };
}

/** A persona turn's stored trust and resistance; null where the turn has none. */
export function moodOfColumns(row: { trust: number | null; resistance: number | null }): PersonaMood | null {
  return row.trust === null || row.resistance === null ? null : { trust: row.trust, resistance: row.resistance };
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

  async createSession(session: NewSession, limits: StartLimits): Promise<CreateOutcome> {
    const [scenario, rubric] = await Promise.all([
      this.prisma.scenarioVersion.findUniqueOrThrow({ where: { contentHash: session.scenarioHash } }),
      this.prisma.rubricVersion.findUniqueOrThrow({ where: { contentHash: session.rubricHash } }),
    ]);
    return this.prisma.$transaction(async (transaction) => {
      // The learner's row lock orders their starts: each counts what the one before it created.
      await transaction.$queryRaw`SELECT 1 FROM "User" WHERE id = ${session.learnerId}::uuid FOR UPDATE`;
      const [counts] = await transaction.$queryRaw<{ open: number; attempts: number }[]>`
        SELECT count(*) FILTER (WHERE p.status = 'active' AND p."startedAt" > ${limits.activeSince})::int AS open,
               count(*) FILTER (WHERE v."scenarioId" = ${limits.scenarioId} AND p."scoringStatus" <> 'too_short')::int AS attempts
        FROM "PracticeSession" p JOIN "ScenarioVersion" v ON v.id = p."scenarioVersionId"
        WHERE p."learnerId" = ${session.learnerId}::uuid`;
      const { open = 0, attempts = 0 } = counts ?? {};
      if (limits.maxAttempts !== null && attempts >= limits.maxAttempts) return { kind: "attempts-used", attempts };
      if (open >= limits.maxActiveSessions) return { kind: "too-many-sessions", open };
      const row = await transaction.practiceSession.create({
        data: {
          learnerId: session.learnerId,
          scenarioVersionId: scenario.id,
          rubricVersionId: rubric.id,
          engine: session.engine,
          model: session.model,
          startedAt: session.at,
          lastActivityAt: session.at,
          endsBy: session.endsBy,
          personaState: session.personaState,
          lastSeq: 1,
          turns: {
            create: {
              seq: 1,
              speaker: "persona",
              text: session.openingLine,
              createdAt: session.at,
              trust: session.personaState.trust,
              resistance: session.personaState.resistance,
            },
          },
        },
        include: sessionInclude,
      });
      return { kind: "created", session: toSession(row) };
    });
  }

  /**
   * The session with its versions' hashes and every turn, in one statement: it is read on every
   * learner turn, where Prisma's include would take four.
   */
  async findSession(sessionId: string): Promise<SessionRecord | null> {
    const rows = await this.prisma.$queryRaw<
      (Omit<SessionRecord, "personaState" | "turns"> & {
        personaState: unknown;
        turns: (Omit<TurnRecord, "at" | "mood" | "speech"> & { at: string; trust: number | null; resistance: number | null; speech: unknown })[];
      })[]
    >`
      SELECT p.id::text AS id, p."learnerId"::text AS "learnerId", v."scenarioId", v."contentHash" AS "scenarioHash",
             r."contentHash" AS "rubricHash", p.engine::text AS engine, p.model, p.status::text AS status, p."endReason",
             p."startedAt", p."endedAt", p."personaState",
             coalesce((
               SELECT json_agg(json_build_object('seq', t.seq, 'speaker', t.speaker, 'text', t.text, 'status', t.status, 'interruption', t.interruption,
                                                 'guarded', t.guarded, 'acts', t.acts, 'clientMessageId', t."clientMessageId", 'at', t."createdAt",
                                                 'trust', t.trust, 'resistance', t.resistance, 'speech', t.speech) ORDER BY t.seq)
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
      turns: row.turns.map(({ trust, resistance, speech, ...turn }) => ({ ...turn, at: new Date(turn.at), mood: moodOfColumns({ trust, resistance }), speech: speechOf(speech) })),
    };
  }

  async scenarioSource(contentHash: string): Promise<string | null> {
    const version = await this.prisma.scenarioVersion.findUnique({ where: { contentHash }, select: { source: true } });
    return version?.source ?? null;
  }

  /** A session too short to score is not an attempt: ending one early costs the learner nothing. */
  countAttempts(learnerId: string, scenarioId: string): Promise<number> {
    return this.prisma.practiceSession.count({ where: { learnerId, scenarioVersion: { scenarioId }, scoringStatus: { not: "too_short" } } });
  }

  /**
   * Appends a learner turn in one statement: it bumps the session's lastSeq (taking the row lock)
   * and inserts the turn at that seq, only while the session is active, lacks this turn, and its
   * newest turn is the persona's. A resend racing its original fails the unique index and is
   * answered as a duplicate; a second new turn racing the first waits for the row lock, then
   * finds a learner turn newest and is refused.
   */
  async appendLearnerTurn(
    sessionId: string,
    turn: { clientMessageId: string; text: string; acts: DialogueAct[]; at: Date; speech?: TurnSpeech | null },
  ): Promise<LearnerTurnOutcome> {
    try {
      const rows = await this.prisma.$queryRaw<RawTurn[]>`
        WITH next AS (
          UPDATE "PracticeSession" p SET "lastSeq" = p."lastSeq" + 1, "lastActivityAt" = ${turn.at}
          WHERE p.id = ${sessionId}::uuid AND p.status = 'active'
            AND NOT EXISTS (SELECT 1 FROM "Turn" WHERE "sessionId" = ${sessionId}::uuid AND "clientMessageId" = ${turn.clientMessageId})
            AND (SELECT t.speaker FROM "Turn" t WHERE t."sessionId" = p.id AND t.seq = p."lastSeq") = 'persona'
          RETURNING p."lastSeq"
        )
        INSERT INTO "Turn" (id, "sessionId", seq, speaker, text, status, "clientMessageId", acts, "createdAt", speech)
        SELECT ${uuidv7()}::uuid, ${sessionId}::uuid, next."lastSeq", 'learner', ${turn.text}, 'complete', ${turn.clientMessageId},
               ${turn.acts}::text[], ${turn.at}, ${speechColumn(turn.speech)}::jsonb
        FROM next
        RETURNING ${rawTurnColumns}`;
      const stored = rows[0];
      if (stored) return { kind: "stored", turn: fromRawTurn(stored) };
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
    // Not stored: say why, in the order a client can act on.
    const existing = await this.prisma.turn.findUnique({
      where: { sessionId_clientMessageId: { sessionId, clientMessageId: turn.clientMessageId } },
    });
    if (existing) return { kind: "duplicate", turn: toTurn(existing) };
    const session = await this.prisma.practiceSession.findUnique({ where: { id: sessionId }, select: { status: true } });
    return session?.status === "active" ? { kind: "awaiting-reply" } : { kind: "session-ended" };
  }

  /**
   * Appends the persona's answer and its carried state in one statement, only while the session
   * is active and its newest turn is still the one answered: another process that answered first
   * leaves nothing to match.
   */
  async appendPersonaTurn(sessionId: string, commit: PersonaTurnCommit): Promise<TurnRecord | null> {
    const end = commit.end;
    const rows = await this.prisma.$queryRaw<RawTurn[]>`
      WITH next AS (
        UPDATE "PracticeSession"
        SET "lastSeq" = "lastSeq" + 1,
            "lastActivityAt" = ${commit.at},
            "personaState" = ${JSON.stringify(commit.personaState)}::jsonb,
            status = CASE WHEN ${end}::text IS NULL THEN status ELSE 'ended' END,
            "endedAt" = CASE WHEN ${end}::text IS NULL THEN "endedAt" ELSE ${commit.at} END,
            "endReason" = coalesce(${end}::text, "endReason"),
            "scoringStatus" = CASE WHEN ${end}::text IS NULL THEN "scoringStatus" ELSE ${scoringStatusOnEnd(sessionId)} END
        WHERE id = ${sessionId}::uuid AND status = 'active' AND "lastSeq" = ${commit.afterSeq}
        RETURNING "lastSeq"
      )
      INSERT INTO "Turn" (id, "sessionId", seq, speaker, text, status, interruption, guarded, trust, resistance, "createdAt", "inputTokens", "outputTokens", "cachedTokens")
      SELECT ${uuidv7()}::uuid, ${sessionId}::uuid, next."lastSeq", 'persona', ${commit.text}, ${commit.status}::"TurnStatus", ${commit.interruption}::text, ${commit.guarded},
             ${commit.personaState.trust}::int, ${commit.personaState.resistance}::int, ${commit.at},
             ${commit.usage?.inputTokens ?? null}::int, ${commit.usage?.outputTokens ?? null}::int, ${commit.usage?.cachedTokens ?? null}::int
      FROM next
      RETURNING ${rawTurnColumns}`;
    const stored = rows[0];
    return stored ? fromRawTurn(stored) : null;
  }

  async recordPersonaSpeech(sessionId: string, seq: number, speech: TurnSpeech, heard: string | null): Promise<TurnRecord | null> {
    const rows = await this.prisma.$queryRaw<RawTurn[]>`
      UPDATE "Turn"
      SET speech = ${speechColumn(speech)}::jsonb,
          text = CASE WHEN ${heard}::text IS NOT NULL AND length(text) > length(${heard}::text) THEN ${heard}::text ELSE text END,
          status = CASE WHEN ${heard}::text IS NOT NULL AND length(text) >= length(${heard}::text) THEN 'interrupted'::"TurnStatus" ELSE status END,
          interruption = CASE WHEN ${heard}::text IS NOT NULL AND length(text) >= length(${heard}::text) THEN 'barge-in' ELSE interruption END
      WHERE "sessionId" = ${sessionId}::uuid AND seq = ${seq} AND speaker = 'persona' AND speech IS NULL
      RETURNING ${rawTurnColumns}`;
    const stored = rows[0];
    return stored ? fromRawTurn(stored) : null;
  }

  /**
   * Ends the session: queued for scoring, or too short to score. The row lock is taken first, in
   * its own statement, so the ending statement's snapshot sees every learner turn committed
   * before it (a turn racing the end waits for the lock, then finds the session ended).
   */
  async endSession(sessionId: string, end: SessionEnding): Promise<boolean> {
    const stillIdle = end.idleSince ? Prisma.sql`AND "lastActivityAt" <= ${end.idleSince}` : Prisma.empty;
    const scoring = end.discard ? Prisma.sql`'discarded'::"ScoringStatus"` : scoringStatusOnEnd(sessionId);
    return this.prisma.$transaction(async (transaction) => {
      await transaction.$queryRaw`SELECT 1 FROM "PracticeSession" WHERE id = ${sessionId}::uuid FOR UPDATE`;
      const rows = await transaction.$queryRaw<{ ended: number }[]>`
        WITH ended AS (
          UPDATE "PracticeSession"
          SET status = 'ended', "endedAt" = ${end.at}, "endReason" = ${end.reason}, "scoringStatus" = ${scoring},
              "lastSeq" = "lastSeq" + CASE WHEN ${end.closingLine}::text IS NULL THEN 0 ELSE 1 END
          WHERE id = ${sessionId}::uuid AND status = 'active' ${stillIdle}
          RETURNING "lastSeq", "personaState"
        ), closing AS (
          -- The closing line leaves the persona's mood as the last reply left it.
          INSERT INTO "Turn" (id, "sessionId", seq, speaker, text, status, trust, resistance, "createdAt")
          SELECT ${uuidv7()}::uuid, ${sessionId}::uuid, ended."lastSeq", 'persona', ${end.closingLine}::text, 'complete',
                 (ended."personaState"->>'trust')::int, (ended."personaState"->>'resistance')::int, ${end.at}
          FROM ended WHERE ${end.closingLine}::text IS NOT NULL
        )
        SELECT count(*)::int AS ended FROM ended`;
      return (rows[0]?.ended ?? 0) > 0;
    });
  }

  async dueToEnd(now: Date, idleSince: Date, limit: number): Promise<{ sessionId: string; reason: "time-limit" | "abandoned" }[]> {
    const rows = await this.prisma.$queryRaw<{ sessionId: string; reason: "time-limit" | "abandoned" }[]>`
      SELECT id::text AS "sessionId", CASE WHEN "endsBy" <= ${now} THEN 'time-limit' ELSE 'abandoned' END AS reason
      FROM "PracticeSession"
      WHERE status = 'active' AND ("lastActivityAt" <= ${idleSince} OR "endsBy" <= ${now})
      ORDER BY "lastActivityAt"
      LIMIT ${limit}`;
    return rows;
  }

  async openSessions(learnerId: string): Promise<OpenSessionSummary[]> {
    return this.prisma.$queryRaw<OpenSessionSummary[]>`
      SELECT p.id::text AS "sessionId", v."scenarioId", v.title AS "scenarioTitle", p."startedAt", p."lastActivityAt",
             (SELECT count(*)::int FROM "Turn" t WHERE t."sessionId" = p.id AND t.speaker = 'learner') AS "learnerTurns"
      FROM "PracticeSession" p JOIN "ScenarioVersion" v ON v.id = p."scenarioVersionId"
      WHERE p."learnerId" = ${learnerId}::uuid AND p.status = 'active'
      ORDER BY p."startedAt" DESC`;
  }
}

/**
 * What an ending statement sets scoringStatus to: queued, unless the learner said too little to
 * score (see minLearnerTurnsToScore). Counted in the statement that ends the session.
 */
function scoringStatusOnEnd(sessionId: string): Prisma.Sql {
  return Prisma.sql`(CASE WHEN (SELECT count(*) FROM "Turn" WHERE "sessionId" = ${sessionId}::uuid AND speaker = 'learner') >= ${minLearnerTurnsToScore}
    THEN 'pending' ELSE 'too_short' END)::"ScoringStatus"`;
}

interface RawTurn {
  seq: number;
  speaker: "learner" | "persona";
  text: string;
  status: "complete" | "interrupted";
  interruption: string | null;
  guarded: boolean;
  acts: string[];
  clientMessageId: string | null;
  at: Date;
  trust: number | null;
  resistance: number | null;
  speech: unknown;
}

const rawTurnColumns = Prisma.sql`seq, speaker::text AS speaker, text, status::text AS status, interruption, guarded, acts, "clientMessageId", "createdAt" AS at, trust, resistance, speech`;

function fromRawTurn({ trust, resistance, speech, ...row }: RawTurn): TurnRecord {
  return { ...row, interruption: row.interruption as Interruption | null, acts: row.acts as DialogueAct[], mood: moodOfColumns({ trust, resistance }), speech: speechOf(speech) };
}

/** A turn's speech as the JSON stored (dates as ISO 8601); null for a typed turn. */
function speechColumn(speech: TurnSpeech | null | undefined): string | null {
  return speech ? JSON.stringify(speech) : null;
}

/** PostgreSQL's unique_violation, however the driver adapter wraps it. */
function isUniqueViolation(error: unknown): boolean {
  const text = error instanceof Error ? `${error.message} ${JSON.stringify(error)}` : String(error);
  return /23505|unique constraint|P2002|UniqueConstraintViolation/i.test(text);
}
