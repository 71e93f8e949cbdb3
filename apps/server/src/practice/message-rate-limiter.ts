import type { Redis } from "ioredis";
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";

/** How fast a learner may send practice-socket messages, on all their connections together. */
export interface MessageRateLimiter {
  /** 0 when the message may go ahead, else how many milliseconds until it could. */
  take(learnerId: string): Promise<number>;
}

export interface MessageRateOptions {
  perSecond: number;
  burst: number;
  /** With Redis the count is shared by every process; without, it is this process's. */
  redis?: Redis | null;
  onStoreError?: (error: unknown) => void;
}

/**
 * `burst` messages per window of `burst / perSecond` seconds (at least one), counted by
 * rate-limiter-flexible: in Redis when several processes run, so N processes do not give a
 * learner N times the limit. If Redis stops answering, each process counts on its own meanwhile
 * (the insurance limiter) rather than refusing everyone or letting everything through.
 */
export function messageRateLimiter(options: MessageRateOptions): MessageRateLimiter {
  const common = { points: options.burst, duration: Math.max(1, Math.round(options.burst / options.perSecond)) };
  const memory = new RateLimiterMemory({ ...common, keyPrefix: "spar-practice-messages" });
  const limiter: RateLimiterAbstract = options.redis
    ? new RateLimiterRedis({ ...common, storeClient: options.redis, keyPrefix: "spar:practice-messages", insuranceLimiter: memory })
    : memory;
  return {
    take: async (learnerId) => {
      try {
        await limiter.consume(learnerId);
        return 0;
      } catch (refusal) {
        if (refusal instanceof RateLimiterRes) return Math.max(1, refusal.msBeforeNext);
        options.onStoreError?.(refusal);
        return 0;
      }
    },
  };
}
