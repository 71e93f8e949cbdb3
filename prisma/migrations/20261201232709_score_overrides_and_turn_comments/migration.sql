-- CreateTable
CREATE TABLE "ScoreOverride" (
    "id" UUID NOT NULL,
    "scorecardId" UUID NOT NULL,
    "criterionId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "scorerLevel" INTEGER NOT NULL,
    "level" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "authorId" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ScoreOverride_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TurnComment" (
    "id" UUID NOT NULL,
    "sessionId" UUID NOT NULL,
    "turnSeq" INTEGER NOT NULL,
    "body" TEXT NOT NULL,
    "authorId" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TurnComment_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ScoreOverride_scorecardId_criterionId_seq_key" ON "ScoreOverride"("scorecardId", "criterionId", "seq");

-- CreateIndex
CREATE INDEX "TurnComment_sessionId_turnSeq_idx" ON "TurnComment"("sessionId", "turnSeq");

-- AddForeignKey
ALTER TABLE "ScoreOverride" ADD CONSTRAINT "ScoreOverride_scorecardId_criterionId_fkey" FOREIGN KEY ("scorecardId", "criterionId") REFERENCES "CriterionScore"("scorecardId", "criterionId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScoreOverride" ADD CONSTRAINT "ScoreOverride_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TurnComment" ADD CONSTRAINT "TurnComment_sessionId_turnSeq_fkey" FOREIGN KEY ("sessionId", "turnSeq") REFERENCES "Turn"("sessionId", "seq") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TurnComment" ADD CONSTRAINT "TurnComment_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
