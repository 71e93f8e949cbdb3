-- AlterTable
ALTER TABLE "CriterionScore" ADD COLUMN     "sampleLevels" INTEGER[] DEFAULT ARRAY[]::INTEGER[];

-- AlterTable
ALTER TABLE "Scorecard" ADD COLUMN     "influenceAttempts" JSONB NOT NULL DEFAULT '[]';
