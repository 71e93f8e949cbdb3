import type { AccountStore, AuthSessionRecord, NewUser, UserRecord } from "@spar/domain";
import type { PrismaClient } from "../generated/prisma/client.ts";
import { firstRunLockKey } from "../seed/seed-demo-organisation.ts";

export class PrismaAccountStore implements AccountStore {
  constructor(private readonly prisma: PrismaClient) {}

  countUsers(): Promise<number> {
    return this.prisma.user.count();
  }

  findUserByEmail(email: string): Promise<UserRecord | null> {
    return this.prisma.user.findUnique({ where: { email: email.toLowerCase() } });
  }

  findUserById(id: string): Promise<UserRecord | null> {
    return this.prisma.user.findUnique({ where: { id } });
  }

  createUser(user: NewUser): Promise<UserRecord> {
    return this.prisma.user.create({ data: { ...user, email: user.email.toLowerCase() } });
  }

  createFirstUser(user: NewUser): Promise<UserRecord | null> {
    return this.prisma.$transaction(async (transaction) => {
      await transaction.$executeRaw`SELECT pg_advisory_xact_lock(${firstRunLockKey}::bigint)`;
      if ((await transaction.user.count()) > 0) return null;
      return transaction.user.create({ data: { ...user, email: user.email.toLowerCase() } });
    });
  }

  async createAuthSession(session: AuthSessionRecord): Promise<void> {
    await this.prisma.authSession.create({ data: session });
  }

  findAuthSession(tokenHash: string): Promise<AuthSessionRecord | null> {
    return this.prisma.authSession.findUnique({ where: { tokenHash } });
  }

  async extendAuthSession(tokenHash: string, lastSeenAt: Date, expiresAt: Date): Promise<void> {
    await this.prisma.authSession.updateMany({ where: { tokenHash }, data: { lastSeenAt, expiresAt } });
  }

  async deleteAuthSession(tokenHash: string): Promise<void> {
    await this.prisma.authSession.deleteMany({ where: { tokenHash } });
  }

  async setPassword(userId: string, passwordHash: string, keepTokenHash: string | null): Promise<void> {
    await this.prisma.$transaction([
      this.prisma.user.update({ where: { id: userId }, data: { passwordHash } }),
      this.prisma.authSession.deleteMany({ where: { userId, ...(keepTokenHash ? { tokenHash: { not: keepTokenHash } } : {}) } }),
      this.prisma.auditEntry.create({
        data: { actorId: userId, action: "password.changed", subjectUserId: userId, resourceType: "person", resourceId: userId },
      }),
    ]);
  }

  async deleteExpiredAuthSessions(now: Date): Promise<number> {
    const { count } = await this.prisma.authSession.deleteMany({ where: { expiresAt: { lte: now } } });
    return count;
  }
}
