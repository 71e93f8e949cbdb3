-- AlterTable
ALTER TABLE "PracticeSession" ADD COLUMN     "lastSeq" INTEGER NOT NULL DEFAULT 0;

-- Sessions begun before the column existed.
UPDATE "PracticeSession" p SET "lastSeq" = coalesce((SELECT max(seq) FROM "Turn" t WHERE t."sessionId" = p.id), 0);
