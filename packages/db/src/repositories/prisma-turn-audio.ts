import type { TurnAudio, TurnAudioStore } from "@spar/domain";
import type { PrismaClient } from "../generated/prisma/client.ts";

export class PrismaTurnAudio implements TurnAudioStore {
  constructor(private readonly prisma: PrismaClient) {}

  async keep(sessionId: string, seq: number, audio: TurnAudio): Promise<void> {
    // Only while the turn exists: audio for a turn erased meanwhile is not kept.
    await this.prisma.$executeRaw`
      INSERT INTO "TurnAudio" ("sessionId", "turnSeq", wav, "durationMs")
      SELECT ${sessionId}::uuid, ${seq}, ${Buffer.from(audio.wav)}, ${Math.round(audio.durationMs)}
      WHERE EXISTS (SELECT 1 FROM "Turn" WHERE "sessionId" = ${sessionId}::uuid AND seq = ${seq})
      ON CONFLICT DO NOTHING`;
  }

  async find(sessionId: string, seq: number): Promise<TurnAudio | null> {
    const row = await this.prisma.turnAudio.findUnique({ where: { sessionId_turnSeq: { sessionId, turnSeq: seq } } });
    return row ? { wav: new Uint8Array(row.wav), durationMs: row.durationMs } : null;
  }
}
