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
    const claimed = await this.prisma.$queryRaw<{ id: string; attempts: number; rubricHash: string | null }[]>`
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
    const row = claimed[0];
    if (!row) return null;
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
    });
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
