import type { TranscriptRetentionStore } from "@spar/domain";
import type { PrismaClient } from "../generated/prisma/client.ts";
import { eraseTranscripts, sessionsEndedBefore } from "./transcript-erasure.ts";

/** The retention period's sweep: one statement per batch, so no long transaction is held. */
export class PrismaTranscriptRetention implements TranscriptRetentionStore {
  constructor(private readonly prisma: PrismaClient) {}

  eraseTranscriptsEndedBefore(cutoff: Date, now: Date, limit: number) {
    return eraseTranscripts(this.prisma, sessionsEndedBefore(cutoff, limit), now);
  }
}
