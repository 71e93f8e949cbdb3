import type {
  AdjudicationStore,
  AuditRecord,
  CommentDecision,
  CommentFacts,
  CommentWriteResult,
  CurrentActor,
  LevelOverrideRecord,
  OverrideDecision,
  OverrideFacts,
  OverrideWriteResult,
  TurnCommentRecord,
} from "@spar/domain";
import type { Prisma, PrismaClient } from "../generated/prisma/client.ts";

type Transaction = Prisma.TransactionClient;

const withAuthor = { author: { select: { id: true, name: true } } } as const;

function toOverride(row: Prisma.ScoreOverrideGetPayload<{ include: typeof withAuthor }>): LevelOverrideRecord {
  return {
    id: row.id,
    scorecardId: row.scorecardId,
    criterionId: row.criterionId,
    seq: row.seq,
    scorerLevel: row.scorerLevel,
    level: row.level,
    reason: row.reason,
    author: row.author,
    createdAt: row.createdAt,
  };
}

function toComment(row: Prisma.TurnCommentGetPayload<{ include: typeof withAuthor }>): TurnCommentRecord {
  return { id: row.id, sessionId: row.sessionId, turn: row.turnSeq, body: row.body, author: row.author, createdAt: row.createdAt };
}

/**
 * The people whose permission the rules weigh, read with share locks: a manager removed from the
 * team, a learner moved out of it, or a role changed while the write is under way waits for it
 * to commit, so the write is never decided on a membership that no longer holds when it lands.
 */
async function permissionFacts(transaction: Transaction, learnerId: string, actorId: string): Promise<{ actor: CurrentActor | null; managersOfLearner: string[] }> {
  const managers = await transaction.$queryRaw<{ id: string }[]>`
    SELECT manager."userId"::text AS id
    FROM "TeamMember" manager
    JOIN "TeamMember" member ON member."teamId" = manager."teamId"
    WHERE member."userId" = ${learnerId}::uuid AND member.role = 'member' AND manager.role = 'manager'
    FOR SHARE`;
  const actors = await transaction.$queryRaw<CurrentActor[]>`
    SELECT id::text AS id, role::text AS role FROM "User"
    WHERE id = ${actorId}::uuid AND "disabledAt" IS NULL AND "erasedAt" IS NULL
    FOR SHARE`;
  return { actor: actors[0] ?? null, managersOfLearner: managers.map((row) => row.id) };
}

async function audit(transaction: Transaction, entry: AuditRecord) {
  await transaction.auditEntry.create({ data: { ...entry, details: (entry.details ?? {}) as Prisma.InputJsonObject } });
}

export class PrismaAdjudications implements AdjudicationStore {
  constructor(private readonly prisma: PrismaClient) {}

  async overrideLevel(scorecardId: string, actorId: string, decide: (facts: OverrideFacts) => OverrideDecision): Promise<OverrideWriteResult> {
    return this.prisma.$transaction(async (transaction) => {
      // The session's row lock orders every override of its scorecards (and a scorecard being
      // stored by a rescore, which takes the same lock): each one decides on what the last left.
      const locked = await transaction.$queryRaw<{ sessionId: string; learnerId: string }[]>`
        SELECT p.id::text AS "sessionId", p."learnerId"::text AS "learnerId"
        FROM "Scorecard" s JOIN "PracticeSession" p ON p.id = s."sessionId"
        WHERE s.id = ${scorecardId}::uuid
        FOR UPDATE OF p`;
      const session = locked[0];
      if (!session) return { ok: false, reason: "not-found" } as const;
      const permission = await permissionFacts(transaction, session.learnerId, actorId);
      const scorecard = await transaction.scorecard.findUniqueOrThrow({
        where: { id: scorecardId },
        include: { rubricVersion: true, criteria: { include: { overrides: { select: { seq: true, level: true } } } } },
      });
      const newest = await transaction.scorecard.findFirst({
        where: { sessionId: session.sessionId },
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        select: { id: true },
      });
      const decision = decide({
        scorecardId,
        sessionId: session.sessionId,
        learnerId: session.learnerId,
        ...permission,
        scorer: scorecard.scorer,
        rubric: { contentHash: scorecard.rubricVersion.contentHash, source: scorecard.rubricVersion.source },
        newest: newest?.id === scorecardId,
        criteria: scorecard.criteria.map((criterion) => ({
          criterionId: criterion.criterionId,
          competency: criterion.competency,
          scorerLevel: criterion.level,
          overrides: criterion.overrides,
        })),
      });
      if (!decision.ok) return decision;
      const created = await transaction.scoreOverride.create({
        data: { scorecardId, ...decision.override, authorId: actorId },
        include: withAuthor,
      });
      if (decision.latestScore) {
        await transaction.practiceSession.update({ where: { id: session.sessionId }, data: { latestScore: decision.latestScore } });
      }
      await audit(transaction, decision.audit);
      return { ok: true, override: toOverride(created) } as const;
    });
  }

  async overridesOf(scorecardId: string): Promise<{ learnerId: string; overrides: LevelOverrideRecord[] } | null> {
    const scorecard = await this.prisma.scorecard.findUnique({ where: { id: scorecardId }, select: { session: { select: { learnerId: true } } } });
    if (!scorecard) return null;
    return { learnerId: scorecard.session.learnerId, overrides: await this.overridesOfScorecards([scorecardId]) };
  }

  async overridesOfScorecards(scorecardIds: readonly string[]): Promise<LevelOverrideRecord[]> {
    if (scorecardIds.length === 0) return [];
    const rows = await this.prisma.scoreOverride.findMany({
      where: { scorecardId: { in: [...scorecardIds] } },
      orderBy: [{ createdAt: "asc" }, { seq: "asc" }],
      include: withAuthor,
    });
    return rows.map(toOverride);
  }

  async commentOnTurn(sessionId: string, turn: number, actorId: string, decide: (facts: CommentFacts) => CommentDecision): Promise<CommentWriteResult> {
    return this.prisma.$transaction(async (transaction) => {
      // A share lock on the session: an erasure (which locks it for update) cannot take the turn
      // away between the check that it exists and the comment's insert.
      const locked = await transaction.$queryRaw<{ learnerId: string }[]>`
        SELECT "learnerId"::text AS "learnerId" FROM "PracticeSession" WHERE id = ${sessionId}::uuid FOR SHARE`;
      const session = locked[0];
      if (!session) return { ok: false, reason: "not-found" } as const;
      const permission = await permissionFacts(transaction, session.learnerId, actorId);
      const found = await transaction.turn.findUnique({ where: { sessionId_seq: { sessionId, seq: turn } }, select: { id: true } });
      const decision = decide({ sessionId, learnerId: session.learnerId, ...permission, turnExists: found !== null });
      if (!decision.ok) return decision;
      const created = await transaction.turnComment.create({
        data: { sessionId, turnSeq: decision.comment.turn, body: decision.comment.body, authorId: actorId },
        include: withAuthor,
      });
      await audit(transaction, decision.audit);
      return { ok: true, comment: toComment(created) } as const;
    });
  }

  async commentsOf(sessionId: string): Promise<{ learnerId: string; comments: TurnCommentRecord[] } | null> {
    const session = await this.prisma.practiceSession.findUnique({ where: { id: sessionId }, select: { learnerId: true } });
    if (!session) return null;
    const rows = await this.prisma.turnComment.findMany({
      where: { sessionId },
      orderBy: [{ turnSeq: "asc" }, { createdAt: "asc" }, { id: "asc" }],
      include: withAuthor,
    });
    return { learnerId: session.learnerId, comments: rows.map(toComment) };
  }
}
