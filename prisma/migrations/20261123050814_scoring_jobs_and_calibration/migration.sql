-- DropIndex
DROP INDEX "PracticeSession_scoringStatus_scoringClaimedAt_idx";

-- AlterTable
ALTER TABLE "PracticeSession" ADD COLUMN     "scoringAvailableAt" TIMESTAMPTZ(3),
ADD COLUMN     "scoringRubricHash" TEXT;

-- AlterTable
ALTER TABLE "Scorecard" ADD COLUMN     "nextStepCriterionId" TEXT NOT NULL DEFAULT '';

-- CreateTable
CREATE TABLE "CalibrationRun" (
    "id" UUID NOT NULL,
    "scenarioId" TEXT NOT NULL,
    "scenarioHash" TEXT NOT NULL,
    "rubricHash" TEXT NOT NULL,
    "scorer" "Engine" NOT NULL,
    "model" TEXT,
    "exactAgreement" DOUBLE PRECISION NOT NULL,
    "withinOneAgreement" DOUBLE PRECISION NOT NULL,
    "strongBeatsWeak" BOOLEAN NOT NULL,
    "passed" BOOLEAN NOT NULL,
    "details" JSONB NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CalibrationRun_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "CalibrationRun_scenarioId_createdAt_idx" ON "CalibrationRun"("scenarioId", "createdAt");

-- CreateIndex
CREATE INDEX "PracticeSession_scoringStatus_scoringAvailableAt_idx" ON "PracticeSession"("scoringStatus", "scoringAvailableAt");
