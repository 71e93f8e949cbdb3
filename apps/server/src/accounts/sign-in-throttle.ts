import { type PrismaClient, signInCounterAccountKey } from "@spar/db";
import { RateLimiterPrisma, RateLimiterRes } from "rate-limiter-flexible";

interface Limit {
  /** Failed attempts allowed within `windowSeconds`… */
  attempts: number;
  windowSeconds: number;
  /** …after which the key is refused for this long. */
  blockSeconds: number;
}

export interface ThrottleLimits {
  /** One account guessed from one address: the tight limit, and the one a sign-in resets. */
  accountAtAddress: Limit;
  /** One account guessed from anywhere: slows a guess spread over many addresses. */
  account: Limit;
  /** One address guessing many accounts. High, because an office behind one proxy shares it. */
  address: Limit;
}

export const defaultThrottleLimits: ThrottleLimits = {
  accountAtAddress: { attempts: 5, windowSeconds: 15 * 60, blockSeconds: 15 * 60 },
  account: { attempts: 30, windowSeconds: 60 * 60, blockSeconds: 15 * 60 },
  address: { attempts: 100, windowSeconds: 60 * 60, blockSeconds: 60 * 60 },
};

export type ThrottleVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Failed sign-ins counted per account at an address, per account and per address, in the
 * database through rate-limiter-flexible, so every server process shares the counts. Each
 * attempt is counted before the password is checked (an atomic increment in the database), so
 * racing guesses cannot slip past the limit; a successful sign-in gives its point back.
 */
export class SignInThrottle {
  readonly #limiters: Record<keyof ThrottleLimits, RateLimiterPrisma>;

  constructor(
    private readonly prisma: PrismaClient,
    limits: ThrottleLimits = defaultThrottleLimits,
  ) {
    const limiter = (name: keyof ThrottleLimits) =>
      new RateLimiterPrisma({
        storeClient: prisma,
        tableName: "rateLimiterFlexible",
        keyPrefix: `sign-in:${name}`,
        points: limits[name].attempts,
        duration: limits[name].windowSeconds,
        blockDuration: limits[name].blockSeconds,
        // Expired rows are swept with the other sign-in housekeeping, not by a timer per limiter.
        clearExpiredByTimeout: false,
      });
    this.#limiters = { accountAtAddress: limiter("accountAtAddress"), account: limiter("account"), address: limiter("address") };
  }

  async attempt(email: string, address: string): Promise<ThrottleVerdict> {
    const account = signInCounterAccountKey(email);
    const results = await Promise.allSettled([
      this.#limiters.accountAtAddress.consume(`${account}|${address}`),
      this.#limiters.account.consume(account),
      this.#limiters.address.consume(address),
    ]);
    const refused = results.flatMap((result) => (result.status === "rejected" ? [result.reason] : []));
    if (refused.length === 0) return { allowed: true };
    const error = refused.find((reason) => !(reason instanceof RateLimiterRes));
    if (error) throw error;
    const waitMs = Math.max(...refused.map((reason: RateLimiterRes) => reason.msBeforeNext));
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
  }

  /** A right password: this address starts afresh on this account, and the attempt is not held against either. */
  async succeeded(email: string, address: string): Promise<void> {
    const account = signInCounterAccountKey(email);
    await Promise.all([
      this.#limiters.accountAtAddress.delete(`${account}|${address}`),
      this.#limiters.account.reward(account, 1),
      this.#limiters.address.reward(address, 1),
    ]);
  }

  async sweep(now = new Date()): Promise<number> {
    const { count } = await this.prisma.rateLimiterFlexible.deleteMany({ where: { expire: { lt: now } } });
    return count;
  }
}
