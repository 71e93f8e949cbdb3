import type { AuditLog, AuditRecord } from "@spar/domain";
import type { Prisma, PrismaClient } from "../generated/prisma/client.ts";

export class PrismaAuditLog implements AuditLog {
  constructor(private readonly prisma: PrismaClient) {}

  async record(entry: AuditRecord): Promise<void> {
    await this.prisma.auditEntry.create({
      data: { ...entry, details: (entry.details ?? {}) as Prisma.InputJsonObject },
    });
  }
}
