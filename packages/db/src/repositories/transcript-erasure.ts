import type { TranscriptErasureCounts } from "@spar/domain";
import { Prisma } from "../generated/prisma/client.ts";

type RawQueryable = Pick<Prisma.TransactionClient, "$queryRaw">;

/**
 * Erases the transcripts of the sessions `due` selects (a `SELECT id ... FOR UPDATE` of
 * PracticeSession rows), in one statement: the session is marked, its turns are deleted, and its
 * scorecards lose what quotes or paraphrases the transcript (rationales, evidence, the next step,
 * the reasons managers gave for adjusting a level) while keeping levels, overall scores and
 * metrics, so counts and averages stay whole. Comments on turns go with the turns.
 *
 * Marking the session first takes its row lock, which a scoring worker storing a scorecard also
 * takes; a scorecard that was still being scored finds the session no longer claimed and is
 * dropped, and the session is marked failed with the reason.
 */
export async function eraseTranscripts(database: RawQueryable, due: Prisma.Sql, now: Date): Promise<TranscriptErasureCounts> {
  const rows = await database.$queryRaw<TranscriptErasureCounts[]>`
    WITH due AS (${due}),
    marked AS (
      UPDATE "PracticeSession" p
      SET "transcriptErasedAt" = ${now},
          "scoringError" = CASE WHEN p."scoringStatus" IN ('pending', 'claimed') THEN 'The transcript was erased before it was scored.' ELSE p."scoringError" END,
          "scoringStatus" = CASE WHEN p."scoringStatus" IN ('pending', 'claimed') THEN 'failed'::"ScoringStatus" ELSE p."scoringStatus" END,
          "scoringClaimedBy" = NULL,
          "scoringAvailableAt" = NULL
      FROM due WHERE p.id = due.id
      RETURNING p.id
    ),
    turns AS (DELETE FROM "Turn" t USING marked WHERE t."sessionId" = marked.id RETURNING t.id),
    cards AS (UPDATE "Scorecard" s SET "nextStep" = '', "nextStepTurn" = NULL, "nextStepQuote" = NULL FROM marked WHERE s."sessionId" = marked.id RETURNING s.id),
    criteria AS (UPDATE "CriterionScore" c SET rationale = '', evidence = '[]'::jsonb FROM cards WHERE c."scorecardId" = cards.id RETURNING c.id),
    overrides AS (UPDATE "ScoreOverride" o SET reason = '' FROM cards WHERE o."scorecardId" = cards.id RETURNING o.id)
    SELECT (SELECT count(*) FROM marked)::int AS sessions,
           (SELECT count(*) FROM turns)::int AS turns,
           (SELECT count(*) FROM cards)::int AS scorecards,
           (SELECT count(*) FROM criteria)::int AS criteria,
           (SELECT count(*) FROM overrides)::int AS overrides`;
  const row = rows[0];
  return { sessions: row?.sessions ?? 0, turns: row?.turns ?? 0, scorecards: row?.scorecards ?? 0 };
}

export const sessionsOfLearner = (learnerId: string) =>
  Prisma.sql`SELECT id FROM "PracticeSession" WHERE "learnerId" = ${learnerId}::uuid AND "transcriptErasedAt" IS NULL FOR UPDATE`;

/** Batches skip rows another sweep holds, so processes sweeping together share the work. */
export const sessionsEndedBefore = (cutoff: Date, limit: number) =>
  Prisma.sql`SELECT id FROM "PracticeSession"
    WHERE status = 'ended' AND "endedAt" < ${cutoff} AND "transcriptErasedAt" IS NULL
    ORDER BY "endedAt" LIMIT ${limit} FOR UPDATE SKIP LOCKED`;
