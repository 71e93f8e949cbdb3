import type { AccountLinkRecord, AccountLinkStore, Actor, LinkHolder, RedeemResult } from "@spar/domain";
import type { Prisma, PrismaClient } from "../generated/prisma/client.ts";

export class PrismaAccountLinks implements AccountLinkStore {
  constructor(private readonly prisma: PrismaClient) {}

  async issue(link: AccountLinkRecord, actor: Actor): Promise<void> {
    await this.prisma.$transaction(async (transaction) => {
      // A new link voids the earlier ones: only the newest invitation or reset works.
      await transaction.accountToken.updateMany({
        where: { userId: link.userId, purpose: link.purpose, usedAt: null },
        data: { usedAt: link.createdAt },
      });
      await transaction.accountToken.create({ data: link });
      await transaction.auditEntry.create({
        data: {
          actorId: actor.id,
          action: link.purpose === "invitation" ? "invitation.issued" : "password_reset.issued",
          subjectUserId: link.userId,
          resourceType: "person",
          resourceId: link.userId,
          details: { expiresAt: link.expiresAt.toISOString(), ...(actor.via ? { via: actor.via } : {}) } as Prisma.InputJsonObject,
        },
      });
    });
  }

  async find(tokenHash: string, now: Date): Promise<LinkHolder | null> {
    const row = await this.prisma.accountToken.findFirst({
      where: { tokenHash, usedAt: null, expiresAt: { gt: now }, user: { disabledAt: null, erasedAt: null } },
      include: { user: { select: { name: true, email: true } } },
    });
    return row ? { userId: row.userId, name: row.user.name, email: row.user.email, purpose: row.purpose, expiresAt: row.expiresAt } : null;
  }

  async redeem(tokenHash: string, passwordHash: string, now: Date): Promise<RedeemResult> {
    return this.prisma.$transaction(async (transaction) => {
      // The one statement that decides: it matches only an unused, unexpired link of an active person.
      const spent = await transaction.$queryRaw<{ userId: string; purpose: "invitation" | "password_reset" }[]>`
        UPDATE "AccountToken" AS t SET "usedAt" = ${now}
        FROM "User" AS u
        WHERE t."tokenHash" = ${tokenHash} AND t."usedAt" IS NULL AND t."expiresAt" > ${now}
          AND u."id" = t."userId" AND u."disabledAt" IS NULL AND u."erasedAt" IS NULL
        RETURNING t."userId"::text AS "userId", t."purpose"::text AS "purpose"`;
      const link = spent[0];
      if (!link) return { ok: false, reason: "invalid" } as const;
      await transaction.user.update({ where: { id: link.userId }, data: { passwordHash } });
      // A reset is often because someone else knew the password: their sign-ins end.
      if (link.purpose === "password_reset") await transaction.authSession.deleteMany({ where: { userId: link.userId } });
      await transaction.auditEntry.create({
        data: {
          actorId: link.userId,
          action: link.purpose === "invitation" ? "invitation.accepted" : "password_reset.used",
          subjectUserId: link.userId,
          resourceType: "person",
          resourceId: link.userId,
        },
      });
      return { ok: true, userId: link.userId, purpose: link.purpose } as const;
    });
  }
}
