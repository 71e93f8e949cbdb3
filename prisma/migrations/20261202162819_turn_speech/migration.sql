-- AlterTable
ALTER TABLE "Turn" ADD COLUMN     "speech" JSONB;
