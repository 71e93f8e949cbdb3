-- CreateEnum
CREATE TYPE "LibraryPublicationOrigin" AS ENUM ('files', 'browser', 'cli');

-- CreateTable
CREATE TABLE "LibraryPublication" (
    "seq" INTEGER NOT NULL,
    "files" JSONB NOT NULL,
    "publishedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "publishedById" UUID,
    "origin" "LibraryPublicationOrigin" NOT NULL,
    "changed" TEXT[],

    CONSTRAINT "LibraryPublication_pkey" PRIMARY KEY ("seq")
);

-- AddForeignKey
ALTER TABLE "LibraryPublication" ADD CONSTRAINT "LibraryPublication_publishedById_fkey" FOREIGN KEY ("publishedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
