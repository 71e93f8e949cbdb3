-- AlterTable
ALTER TABLE "PracticeSession" ADD COLUMN     "endsBy" TIMESTAMPTZ(3),
ADD COLUMN     "lastActivityAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- CreateIndex
CREATE INDEX "PracticeSession_status_lastActivityAt_idx" ON "PracticeSession"("status", "lastActivityAt");

-- Sessions already open were last active when their newest turn was said.
UPDATE "PracticeSession" p
SET "lastActivityAt" = coalesce((SELECT max(t."createdAt") FROM "Turn" t WHERE t."sessionId" = p.id), p."startedAt");
