-- AlterTable
ALTER TABLE "PracticeSession" ADD COLUMN     "latestScore" JSONB;

-- Backfill from each scored session's newest scorecard.
UPDATE "PracticeSession" p
SET "latestScore" = jsonb_build_object(
  'overall', s.overall,
  'passed', s.passed,
  'scorer', s.scorer::text,
  'criteria', COALESCE((
    SELECT jsonb_agg(jsonb_build_object('competency', c.competency, 'level', c.level) ORDER BY c."criterionId")
    FROM "CriterionScore" c WHERE c."scorecardId" = s.id
  ), '[]'::jsonb)
)
FROM (
  SELECT DISTINCT ON ("sessionId") id, "sessionId", overall, passed, scorer
  FROM "Scorecard" ORDER BY "sessionId", "createdAt" DESC
) s
WHERE s."sessionId" = p.id;
