import type { OidcLoginState, OidcLoginStates, SsoAccount, SsoAccountStore, SubjectLink } from "@spar/domain";
import { Prisma, type PrismaClient } from "../generated/prisma/client.ts";

const accountFields = { id: true, oidcSubject: true, disabledAt: true, erasedAt: true } satisfies Prisma.UserSelect;

export class PrismaSsoAccounts implements SsoAccountStore {
  constructor(private readonly prisma: PrismaClient) {}

  findBySubject(subject: string): Promise<SsoAccount | null> {
    return this.prisma.user.findUnique({ where: { oidcSubject: subject }, select: accountFields });
  }

  findByEmail(email: string): Promise<SsoAccount | null> {
    return this.prisma.user.findUnique({ where: { email: email.toLowerCase() }, select: accountFields });
  }

  async linkSubject(userId: string, subject: string): Promise<SubjectLink> {
    try {
      const { count } = await this.prisma.user.updateMany({
        where: { id: userId, disabledAt: null, erasedAt: null, OR: [{ oidcSubject: null }, { oidcSubject: subject }] },
        data: { oidcSubject: subject },
      });
      if (count === 1) return { ok: true };
    } catch (error) {
      // The subject is unique: another account took this provider account a moment ago.
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002")
        return { ok: false, reason: "linked-elsewhere" };
      throw error;
    }
    const now = await this.prisma.user.findUnique({ where: { id: userId }, select: accountFields });
    return { ok: false, reason: !now || now.disabledAt || now.erasedAt ? "deactivated" : "linked-elsewhere" };
  }
}

export class PrismaOidcLoginStates implements OidcLoginStates {
  constructor(private readonly prisma: PrismaClient) {}

  async save(state: OidcLoginState, now: Date): Promise<void> {
    // Attempts nobody finished are swept here, so the table stays as small as the attempts in flight.
    await this.prisma.$transaction([
      this.prisma.oidcLoginState.deleteMany({ where: { expiresAt: { lte: now } } }),
      this.prisma.oidcLoginState.create({ data: state }),
    ]);
  }

  async take(stateHash: string, now: Date): Promise<OidcLoginState | null> {
    // Reading and deleting in one statement: of two callbacks carrying the same state, one gets it.
    const rows = await this.prisma.$queryRaw<OidcLoginState[]>`
      DELETE FROM "OidcLoginState"
      WHERE "stateHash" = ${stateHash}
      RETURNING "stateHash", "codeVerifier", "nonce", "returnTo", "expiresAt"`;
    const state = rows[0];
    if (!state) return null;
    // An expired attempt is deleted all the same: it can never be finished.
    const expiresAt = new Date(state.expiresAt);
    return expiresAt > now ? { ...state, expiresAt } : null;
  }
}
