-- CreateTable
CREATE TABLE "TurnAudio" (
    "sessionId" UUID NOT NULL,
    "turnSeq" INTEGER NOT NULL,
    "wav" BYTEA NOT NULL,
    "durationMs" INTEGER NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TurnAudio_pkey" PRIMARY KEY ("sessionId","turnSeq")
);

-- AddForeignKey
ALTER TABLE "TurnAudio" ADD CONSTRAINT "TurnAudio_sessionId_turnSeq_fkey" FOREIGN KEY ("sessionId", "turnSeq") REFERENCES "Turn"("sessionId", "seq") ON DELETE CASCADE ON UPDATE CASCADE;
