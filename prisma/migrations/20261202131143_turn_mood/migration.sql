-- AlterTable
ALTER TABLE "Turn" ADD COLUMN     "resistance" INTEGER,
ADD COLUMN     "trust" INTEGER;
