import { createHash, timingSafeEqual } from "node:crypto";
import { RateLimiterMemory } from "rate-limiter-flexible";

export type GateVerdict = { admitted: true } | { admitted: false; status: 401 } | { admitted: false; status: 429; retryAfterSeconds: number };

const digest = (text: string) => createHash("sha256").update(text).digest();

/**
 * Admits requests carrying the SCIM token. Both sides are hashed before the constant-time
 * comparison, so neither the token's content nor its length leaks through timing. An address
 * that keeps sending wrong tokens is turned away for a while, even with the right one, so a
 * guesser learns nothing from the answers. The count is per process: enough to make guessing a
 * 32-character token pointless, without a shared store.
 */
export class BearerGate {
  private readonly expected: Buffer;
  private readonly failures: RateLimiterMemory;

  constructor(
    token: string,
    private readonly limits = { failures: 20, perSeconds: 60, blockSeconds: 300 },
  ) {
    this.expected = digest(token);
    this.failures = new RateLimiterMemory({ points: limits.failures, duration: limits.perSeconds, blockDuration: limits.blockSeconds });
  }

  async admit(authorization: string | undefined, address: string): Promise<GateVerdict> {
    const record = await this.failures.get(address);
    if (record && record.consumedPoints > this.limits.failures) {
      return { admitted: false, status: 429, retryAfterSeconds: Math.ceil(record.msBeforeNext / 1000) };
    }
    const given = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "")?.[1];
    if (given !== undefined && timingSafeEqual(digest(given), this.expected)) return { admitted: true };
    await this.failures.consume(address).catch(() => undefined);
    return { admitted: false, status: 401 };
  }
}
