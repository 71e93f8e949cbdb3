import type { AuditLog, AuditRecord } from "@spar/domain";
import type { AuditPage, AuditQuery } from "@spar/protocol";
import type { Prisma, PrismaClient } from "../generated/prisma/client.ts";

export class PrismaAuditLog implements AuditLog {
  constructor(private readonly prisma: PrismaClient) {}

  async record(entry: AuditRecord): Promise<void> {
    await this.prisma.auditEntry.create({
      data: { ...entry, details: (entry.details ?? {}) as Prisma.InputJsonObject },
    });
  }

  /** Newest first, filtered by person (as actor or subject) and by action or action prefix. */
  async list(query: AuditQuery): Promise<AuditPage> {
    const where: Prisma.AuditEntryWhereInput = {
      ...(query.personId ? { OR: [{ actorId: query.personId }, { subjectUserId: query.personId }] } : {}),
      ...(query.action ? (query.action.endsWith(".") ? { action: { startsWith: query.action } } : { action: query.action }) : {}),
      ...(query.before ? { at: { lt: new Date(query.before) } } : {}),
    };
    const [rows, actions] = await Promise.all([
      this.prisma.auditEntry.findMany({
        where,
        orderBy: [{ at: "desc" }, { id: "desc" }],
        take: query.limit + 1,
        include: { actor: { select: { id: true, name: true } } },
      }),
      this.prisma.auditEntry.findMany({ distinct: ["action"], select: { action: true }, orderBy: { action: "asc" } }),
    ]);
    const page = rows.slice(0, query.limit);
    const subjectIds = [...new Set(page.map((row) => row.subjectUserId).filter((id): id is string => id !== null))];
    const subjects = new Map(
      (await this.prisma.user.findMany({ where: { id: { in: subjectIds } }, select: { id: true, name: true } })).map((user) => [user.id, user]),
    );
    return {
      entries: page.map((row) => ({
        id: row.id,
        at: row.at.toISOString(),
        actor: row.actor,
        action: row.action,
        subject: row.subjectUserId ? (subjects.get(row.subjectUserId) ?? { id: row.subjectUserId, name: "(erased)" }) : null,
        resourceType: row.resourceType,
        resourceId: row.resourceId,
        details: (row.details ?? {}) as Record<string, unknown>,
      })),
      // Entries at the same millisecond as the page's last could be skipped by `before`; pages of
      // 50 within one millisecond do not happen in a log written by people.
      nextBefore: rows.length > query.limit ? (page.at(-1)?.at.toISOString() ?? null) : null,
      actions: actions.map((row) => row.action),
    };
  }
}
