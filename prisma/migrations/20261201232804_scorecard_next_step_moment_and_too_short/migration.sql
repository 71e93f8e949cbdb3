-- AlterEnum
ALTER TYPE "ScoringStatus" ADD VALUE 'too_short';

-- AlterTable
ALTER TABLE "Scorecard" ADD COLUMN     "nextStepQuote" TEXT,
ADD COLUMN     "nextStepTurn" INTEGER;
