-- AlterEnum
ALTER TYPE "ScoringStatus" ADD VALUE 'discarded';
