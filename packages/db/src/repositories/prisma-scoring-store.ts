import type {
  HistorySession,
  ScorecardDraft,
  ScoringClaim,
  ScoringStore,
  StoredScorecard,
  StoredScorecardMeta,
} from "@spar/domain";
import type { Prisma, PrismaClient } from "../generated/prisma/client.ts";
import { PrismaPracticeStore } from "./prisma-practice-store.ts";
import { storedEvidence, storedInfluenceAttempts } from "./stored-evidence.ts";

/** PracticeSession.latestScore: the newest scorecard in brief, for the views that list sessions. */
export type LatestScore = NonNullable<HistorySession["latest"]>;

export class PrismaScoringStore implements ScoringStore {
  private readonly sessions: PrismaPracticeStore;

  constructor(private readonly prisma: PrismaClient) {
    this.sessions = new PrismaPracticeStore(prisma);
  }

  async claimNext(worker: string, now: Date, leaseMs: number): Promise<ScoringClaim | null> {
    const leaseEnds = new Date(now.getTime() + leaseMs);
    // SKIP LOCKED: concurrent workers each take a different session, and none waits on another.
    const claimed = await this.prisma.$queryRaw<ClaimedRow[]>`
      UPDATE "PracticeSession"
      SET "scoringStatus" = 'claimed', "scoringClaimedBy" = ${worker}, "scoringClaimedAt" = ${now},
          "scoringAvailableAt" = ${leaseEnds}, "scoringAttempts" = "scoringAttempts" + 1
      WHERE id = (
        SELECT id FROM "PracticeSession"
        WHERE ("scoringStatus" = 'pending' AND ("scoringAvailableAt" IS NULL OR "scoringAvailableAt" <= ${now}))
           OR ("scoringStatus" = 'claimed' AND "scoringAvailableAt" <= ${now})
        ORDER BY "endedAt" ASC NULLS FIRST
        LIMIT 1
        FOR UPDATE SKIP LOCKED
      )
      RETURNING id::text AS id, "scoringAttempts" AS attempts, "scoringRubricHash" AS "rubricHash"`;
    return claimed[0] ? this.claimOf(claimed[0]) : null;
  }

  /**
   * Takes one session waiting for a score, for a job queue that holds the claim itself (its lease
   * lives on the job, not on this row): counts the attempt and loads what scoring needs. Null when
   * the session is not waiting (scored already, too short, erased, or failed for good).
   */
  async claimSession(sessionId: string): Promise<ScoringClaim | null> {
    const claimed = await this.prisma.$queryRaw<ClaimedRow[]>`
      UPDATE "PracticeSession" SET "scoringAttempts" = "scoringAttempts" + 1
      WHERE id = ${sessionId}::uuid AND "scoringStatus" = 'pending'
      RETURNING id::text AS id, "scoringAttempts" AS attempts, "scoringRubricHash" AS "rubricHash"`;
    return claimed[0] ? this.claimOf(claimed[0]) : null;
  }

  private async claimOf(row: ClaimedRow): Promise<ScoringClaim | null> {
    const session = await this.sessions.findSession(row.id);
    if (!session) return null;
    const rubricHash = row.rubricHash ?? session.rubricHash;
    const [rubric, scenario] = await Promise.all([
      this.prisma.rubricVersion.findUniqueOrThrow({ where: { contentHash: rubricHash }, select: { source: true } }),
      this.prisma.scenarioVersion.findUniqueOrThrow({ where: { contentHash: session.scenarioHash }, select: { source: true } }),
    ]);
    return { session, rubricHash, rubricSource: rubric.source, scenarioSource: scenario.source, attempt: row.attempts };
  }

  async complete(
    sessionId: string,
    worker: string,
    draft: ScorecardDraft,
    meta: StoredScorecardMeta,
    now: Date,
  ): Promise<string | null> {
    return this.prisma.$transaction(async (transaction) => {
      // Only the worker that still holds the claim may store; a lapsed one finds nothing to release.
      const released = await transaction.practiceSession.updateMany({
        where: { id: sessionId, scoringStatus: "claimed", scoringClaimedBy: worker },
        data: { scoringStatus: "done", scoringError: null, scoringAvailableAt: null, scoringRubricHash: null },
      });
      if (released.count === 0) return null;
      return storeScorecardIn(transaction, sessionId, draft, meta, now);
    });
  }

  /**
   * Stores the scorecard of a session still waiting for it and marks it scored, in one
   * transaction with `holdsJob`: the queue engine's own check, on the same transaction, that its
   * attempt still holds the session's job (and its settling of that job). When it does not (the
   * lease lapsed and another worker took the job over), nothing is stored. Null then, or when the
   * session is no longer waiting (the job is then settled with nothing to store).
   */
  async storeScorecard(
    sessionId: string,
    draft: ScorecardDraft,
    meta: StoredScorecardMeta,
    now: Date,
    holdsJob: (transaction: Prisma.TransactionClient) => Promise<boolean>,
  ): Promise<string | null> {
    return rolledBackAsNull(() =>
      this.prisma.$transaction(async (transaction) => {
        // The job first, as every other settling of it does (recordRetry, the engine's own expiry),
        // so two transactions on one session always lock in the same order.
        if (!(await holdsJob(transaction))) throw new JobNoLongerHeld();
        const scored = await transaction.practiceSession.updateMany({
          where: { id: sessionId, scoringStatus: "pending" },
          data: { scoringStatus: "done", scoringError: null, scoringAvailableAt: null, scoringRubricHash: null },
        });
        if (scored.count === 0) return null;
        return storeScorecardIn(transaction, sessionId, draft, meta, now);
      }),
    );
  }

  /**
   * Records a failed attempt that will be tried again: the error, and when the next try is due as
   * `failJob` (the queue engine settling its job for a retry, on the same transaction) says. The
   * learner's socket reads both. False when the job was no longer this attempt's to fail.
   */
  async recordRetry(sessionId: string, error: string, failJob: (transaction: Prisma.TransactionClient) => Promise<Date | null>): Promise<Date | null> {
    return rolledBackAsNull(() =>
      this.prisma.$transaction(async (transaction) => {
        const retryAt = await failJob(transaction);
        if (!retryAt) throw new JobNoLongerHeld();
        await transaction.practiceSession.updateMany({
          where: { id: sessionId, scoringStatus: "pending" },
          data: { scoringError: error, scoringAvailableAt: retryAt },
        });
        return retryAt;
      }),
    );
  }

  /**
   * Marks a waiting session's scoring failed for good, with the error, if `holdsJob` (the queue
   * engine's check on the same transaction) confirms this attempt still holds the session's job.
   * False when it does not, or when the session was not waiting.
   */
  async recordFailure(sessionId: string, error: string, holdsJob: (transaction: Prisma.TransactionClient) => Promise<boolean>): Promise<boolean> {
    const failed = await rolledBackAsNull(() =>
      this.prisma.$transaction(async (transaction) => {
        if (!(await holdsJob(transaction))) throw new JobNoLongerHeld();
        return transaction.practiceSession.updateMany({
          where: { id: sessionId, scoringStatus: "pending" },
          data: { scoringStatus: "failed", scoringError: error, scoringAvailableAt: null },
        });
      }),
    );
    return (failed?.count ?? 0) > 0;
  }

  /**
   * Sessions waiting for a score, a page at a time in id order: the outbox a job queue is fed
   * from. A session is marked waiting by the statement that ends it (or queues it again), so none
   * is lost to a crash between that statement and its job being sent.
   */
  async waitingSessions(limit: number, after?: string): Promise<string[]> {
    const rows = await this.prisma.practiceSession.findMany({
      where: { scoringStatus: "pending", ...(after ? { id: { gt: after } } : {}) },
      orderBy: { id: "asc" },
      take: limit,
      select: { id: true },
    });
    return rows.map((row) => row.id);
  }

  /** The waiting sessions that ended last: what a session just ended on this process is among. */
  async lastEndedWaiting(limit: number): Promise<string[]> {
    const rows = await this.prisma.practiceSession.findMany({
      where: { scoringStatus: "pending" },
      orderBy: { endedAt: { sort: "desc", nulls: "last" } },
      take: limit,
      select: { id: true },
    });
    return rows.map((row) => row.id);
  }

  /**
   * Gives back to the outbox the sessions a row-lease worker claimed and never finished (one of
   * an earlier version, before scoring moved to a job queue on PostgreSQL), once their lease lapsed.
   */
  async releaseLapsedClaims(now: Date): Promise<number> {
    const released = await this.prisma.practiceSession.updateMany({
      where: { scoringStatus: "claimed", scoringAvailableAt: { lte: now } },
      data: { scoringStatus: "pending", scoringClaimedBy: null },
    });
    return released.count;
  }

  /**
   * Gives back every claim. Only for the embedded database at start-up: one process owns a PGlite
   * data directory, so any claim found then belongs to a process that is gone, and its session need
   * not wait out the lease.
   */
  async releaseAllClaims(): Promise<number> {
    const released = await this.prisma.practiceSession.updateMany({
      where: { scoringStatus: "claimed" },
      data: { scoringStatus: "pending", scoringClaimedBy: null, scoringAvailableAt: null },
    });
    return released.count;
  }

  /**
   * Sessions whose scoring failed for good and can be tried again (their transcript is kept), newest
   * first, as the L&D admin's list shows them: which scenario, when it ended, the error and how many
   * attempts were made. Nothing of the conversation and nobody's name.
   */
  async failures(limit: number): Promise<ScoringFailureRecord[]> {
    const rows = await this.prisma.practiceSession.findMany({
      where: { scoringStatus: "failed", transcriptErasedAt: null },
      orderBy: [{ endedAt: "desc" }, { id: "asc" }],
      take: limit,
      select: { id: true, endedAt: true, scoringError: true, scoringAttempts: true, scenarioVersion: { select: { scenarioId: true, title: true } } },
    });
    return rows.map((row) => ({
      sessionId: row.id,
      scenarioId: row.scenarioVersion.scenarioId,
      scenarioTitle: row.scenarioVersion.title,
      endedAt: row.endedAt,
      error: row.scoringError ?? "",
      attempts: row.scoringAttempts,
    }));
  }


  async release(sessionId: string, worker: string, error: string, retryAt: Date | null): Promise<void> {
    await this.prisma.practiceSession.updateMany({
      where: { id: sessionId, scoringStatus: "claimed", scoringClaimedBy: worker },
      data: retryAt
        ? { scoringStatus: "pending", scoringAvailableAt: retryAt, scoringError: error }
        : { scoringStatus: "failed", scoringAvailableAt: null, scoringError: error },
    });
  }

  /** Where scoring of one session stands, for the learner waiting on it. */
  async scoringState(sessionId: string) {
    return this.prisma.practiceSession.findUnique({
      where: { id: sessionId },
      select: { scoringStatus: true, scoringError: true, scoringAvailableAt: true },
    });
  }

  /**
   * Queues the session to be scored again. `onlyFailed` limits it to a session whose scoring gave
   * up: what a learner may ask for (asking again and again for a better score is not theirs to do).
   */
  async requestRescore(sessionId: string, rubricHash: string | null, now: Date, onlyFailed = false): Promise<boolean> {
    const updated = await this.prisma.practiceSession.updateMany({
      // An erased transcript has nothing left to score.
      where: { id: sessionId, status: "ended", transcriptErasedAt: null, scoringStatus: { in: onlyFailed ? ["failed"] : ["done", "failed", "not_needed"] } },
      data: {
        scoringStatus: "pending",
        scoringAvailableAt: now,
        scoringAttempts: 0,
        scoringError: null,
        scoringRubricHash: rubricHash,
      },
    });
    return updated.count > 0;
  }

  async requestRubricRescore(rubricId: string, rubricHash: string | null, now: Date): Promise<string[]> {
    const queued = await this.prisma.practiceSession.updateManyAndReturn({
      where: { status: "ended", transcriptErasedAt: null, scoringStatus: { in: ["done", "failed"] }, rubricVersion: { rubricId } },
      data: { scoringStatus: "pending", scoringAvailableAt: now, scoringAttempts: 0, scoringError: null, scoringRubricHash: rubricHash },
      select: { id: true },
    });
    return queued.map((session) => session.id);
  }

  /**
   * Sessions waiting for a score or being scored, and when the longest-waiting of them ended:
   * one aggregate over the scoringStatus index, cheap enough to run at every metrics scrape.
   */
  async queue(): Promise<{ depth: number; oldestEndedAt: Date | null }> {
    const waiting = await this.prisma.practiceSession.aggregate({
      where: { scoringStatus: { in: ["pending", "claimed"] } },
      _count: { _all: true },
      _min: { endedAt: true },
    });
    return { depth: waiting._count._all, oldestEndedAt: waiting._min.endedAt };
  }

  /** Every scorecard of a session, newest first, with the rubric version each used. */
  async scorecards(sessionId: string): Promise<(StoredScorecard & { rubricSource: string })[]> {
    const rows = await this.prisma.scorecard.findMany({
      where: { sessionId },
      orderBy: { createdAt: "desc" },
      include: { criteria: true, rubricVersion: true },
    });
    return rows.map((row) => ({
      id: row.id,
      sessionId: row.sessionId,
      scorer: row.scorer,
      model: row.model,
      rubric: {
        id: row.rubricVersion.rubricId,
        version: row.rubricVersion.version,
        contentHash: row.rubricVersion.contentHash,
      },
      rubricSource: row.rubricVersion.source,
      overall: row.overall,
      passed: row.passed,
      nextStep: row.nextStep,
      nextStepCriterionId: row.nextStepCriterionId,
      nextStepMoment: row.nextStepTurn !== null && row.nextStepQuote !== null ? { turn: row.nextStepTurn, quote: row.nextStepQuote } : null,
      criteria: row.criteria.map((criterion) => ({
        criterionId: criterion.criterionId,
        level: criterion.level as 1 | 2 | 3 | 4,
        rationale: criterion.rationale,
        evidence: storedEvidence(criterion.evidence),
        sampleLevels: criterion.sampleLevels,
      })),
      metrics: row.metrics as Record<string, number>,
      influenceAttempts: storedInfluenceAttempts(row.influenceAttempts),
      createdAt: row.createdAt,
    }));
  }
}

/** Stores a scorecard and the session's brief of it, on the transaction that marked the session scored. */
async function storeScorecardIn(
  transaction: Prisma.TransactionClient,
  sessionId: string,
  draft: ScorecardDraft,
  meta: StoredScorecardMeta,
  now: Date,
): Promise<string> {
  const rubric = await transaction.rubricVersion.findUniqueOrThrow({ where: { contentHash: meta.rubricHash } });
  const latestScore: LatestScore = {
    overall: draft.overall,
    passed: draft.passed,
    scorer: meta.scorer,
    criteria: draft.criteria.map((criterion) => ({ competency: rubric.competency, level: criterion.level })),
  };
  await transaction.practiceSession.update({ where: { id: sessionId }, data: { latestScore } });
  const scorecard = await transaction.scorecard.create({
    data: {
      sessionId,
      rubricVersionId: rubric.id,
      scorer: meta.scorer,
      model: meta.model,
      overall: draft.overall,
      passed: draft.passed,
      nextStep: draft.nextStep.text,
      nextStepCriterionId: draft.nextStep.criterionId,
      nextStepTurn: draft.nextStep.moment?.turn ?? null,
      nextStepQuote: draft.nextStep.moment?.quote ?? null,
      metrics: draft.metrics,
      influenceAttempts: draft.influenceAttempts as unknown as Prisma.InputJsonArray,
      inputTokens: meta.usage?.inputTokens ?? null,
      outputTokens: meta.usage?.outputTokens ?? null,
      createdAt: now,
      criteria: {
        create: draft.criteria.map((criterion) => ({
          criterionId: criterion.criterionId,
          competency: rubric.competency,
          level: criterion.level,
          rationale: criterion.rationale,
          evidence: criterion.evidence as unknown as Prisma.InputJsonArray,
          sampleLevels: criterion.sampleLevels ?? [],
        })),
      },
    },
  });
  return scorecard.id;
}

/** The row a claim returns. */
interface ClaimedRow {
  id: string;
  attempts: number;
  rubricHash: string | null;
}

/** One session whose scoring failed for good, as the L&D admin's list shows it. */
export interface ScoringFailureRecord {
  sessionId: string;
  scenarioId: string;
  scenarioTitle: string;
  endedAt: Date | null;
  error: string;
  attempts: number;
}

/** Thrown inside a transaction to roll it back when the queue engine says its job is no longer held. */
class JobNoLongerHeld extends Error {}

async function rolledBackAsNull<T>(work: () => Promise<T | null>): Promise<T | null> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof JobNoLongerHeld) return null;
    throw error;
  }
}
