import type { Clock } from "../ports/clock.ts";

const day = 86_400_000;

export interface TranscriptErasureCounts {
  sessions: number;
  turns: number;
  scorecards: number;
}

export interface TranscriptRetentionStore {
  /**
   * Erases the transcripts of at most `limit` sessions that ended before `cutoff` and still have
   * one, in one statement: their turns, and the rationales, evidence quotes and next steps of
   * their scorecards. Levels, overall scores and metrics stay. Sessions another process is
   * erasing at the same moment are skipped, not waited for.
   */
  eraseTranscriptsEndedBefore(cutoff: Date, now: Date, limit: number): Promise<TranscriptErasureCounts>;
}

/** Sessions that ended before this moment are due: the retention period counts from the end. */
export function retentionCutoff(now: Date, retentionDays: number): Date {
  return new Date(now.getTime() - retentionDays * day);
}

/**
 * The organisation's retention period for transcripts (SPAR_RETENTION_DAYS). A sweep erases every
 * due transcript in batches, so one sweep never holds a long transaction; running it twice, or in
 * several processes at once, erases each transcript once.
 */
export class TranscriptRetention {
  constructor(
    private readonly deps: { store: TranscriptRetentionStore; clock: Clock; retentionDays: number; batchSize?: number },
  ) {}

  get retentionDays(): number {
    return this.deps.retentionDays;
  }

  async sweep(): Promise<TranscriptErasureCounts & { cutoff: Date }> {
    const now = this.deps.clock.now();
    const cutoff = retentionCutoff(now, this.deps.retentionDays);
    const batchSize = this.deps.batchSize ?? 500;
    const total = { sessions: 0, turns: 0, scorecards: 0 };
    for (;;) {
      const batch = await this.deps.store.eraseTranscriptsEndedBefore(cutoff, now, batchSize);
      total.sessions += batch.sessions;
      total.turns += batch.turns;
      total.scorecards += batch.scorecards;
      if (batch.sessions < batchSize) return { ...total, cutoff };
    }
  }
}
