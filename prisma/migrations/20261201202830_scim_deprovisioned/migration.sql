-- AlterTable
ALTER TABLE "User" ADD COLUMN     "deprovisionedAt" TIMESTAMPTZ(3);
