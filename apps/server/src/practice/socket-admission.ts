import type { Redis } from "ioredis";

/**
 * How many practice sockets one learner may hold open, on all processes together. A socket is
 * admitted before its upgrade and let go when it closes; with Redis each socket's entry also
 * expires unless renewed (its heartbeat renews it), so a crashed process's sockets stop counting.
 */
export interface SocketAdmission {
  /** True when the learner may open one more socket, which is then counted as `socketId`. */
  admit(learnerId: string, socketId: string): Promise<boolean>;
  renew(learnerId: string, socketId: string): Promise<void>;
  release(learnerId: string, socketId: string): Promise<void>;
}

export function localSocketAdmission(maxPerLearner: number): SocketAdmission {
  const open = new Map<string, Set<string>>();
  return {
    admit: async (learnerId, socketId) => {
      const sockets = open.get(learnerId) ?? new Set<string>();
      if (sockets.size >= maxPerLearner) return false;
      sockets.add(socketId);
      open.set(learnerId, sockets);
      return true;
    },
    renew: async () => {},
    release: async (learnerId, socketId) => {
      const sockets = open.get(learnerId);
      sockets?.delete(socketId);
      if (sockets?.size === 0) open.delete(learnerId);
    },
  };
}

// One sorted set per learner: member = socket, score = when its entry lapses. Counting and adding
// happen in one script, so racing upgrades on several processes cannot all be admitted.
const admitScript = `
redis.call("ZREMRANGEBYSCORE", KEYS[1], "-inf", ARGV[1])
if redis.call("ZCARD", KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
redis.call("ZADD", KEYS[1], ARGV[2], ARGV[4])
redis.call("PEXPIRE", KEYS[1], ARGV[5])
return 1`;

export function redisSocketAdmission(redis: Redis, maxPerLearner: number, entryTtlMs: number): SocketAdmission {
  const key = (learnerId: string) => `spar:sockets:${learnerId}`;
  return {
    admit: async (learnerId, socketId) => {
      const now = Date.now();
      const admitted = await redis.eval(admitScript, 1, key(learnerId), String(now), String(now + entryTtlMs), String(maxPerLearner), socketId, String(entryTtlMs));
      return admitted === 1;
    },
    renew: async (learnerId, socketId) => {
      await redis.zadd(key(learnerId), "XX", Date.now() + entryTtlMs, socketId);
      await redis.pexpire(key(learnerId), entryTtlMs);
    },
    release: async (learnerId, socketId) => {
      await redis.zrem(key(learnerId), socketId);
    },
  };
}
