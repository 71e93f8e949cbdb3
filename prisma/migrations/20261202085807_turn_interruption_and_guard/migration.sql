-- AlterTable
ALTER TABLE "Turn" ADD COLUMN     "guarded" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "interruption" TEXT;
