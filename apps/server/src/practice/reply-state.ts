import type { Redis } from "ioredis";

/** A reply being generated somewhere: which process owns it, its seq, and what it has said. */
export interface ReplySnapshot {
  owner: string;
  /** 0 until the reply has started (its seq is known). */
  seq: number;
  said: string;
}

/**
 * Where the replies in progress are recorded, so that one process generates a session's reply
 * and a connection on any process can catch up on it. The owner's claim is a lease: it lapses
 * unless renewed, so a reply lost with a crashed process is written anew by another.
 */
export interface ReplyState {
  /**
   * Claims the session's reply for `owner`; false when someone holds it already, and then the
   * holder's `release` reports that a reply was wanted meanwhile.
   */
  claim(sessionId: string, owner: string, leaseMs: number): Promise<boolean>;
  /** Extends the owner's lease; false when it lapsed and someone else may hold it. */
  renew(sessionId: string, owner: string, leaseMs: number): Promise<boolean>;
  started(sessionId: string, seq: number): Promise<void>;
  /** Appends text to what the reply has said. Called in order, one at a time, by the owner. */
  said(sessionId: string, text: string): Promise<void>;
  /**
   * Clears the record, if `owner` still holds it. True when a claim failed against this lease:
   * a learner turn stored while the reply was finishing may still lack its answer.
   */
  release(sessionId: string, owner: string): Promise<boolean>;
  snapshot(sessionId: string): Promise<ReplySnapshot | null>;
}

/** Within one process: a map. Leases never lapse here, since the owner cannot crash alone. */
export function localReplyState(): ReplyState {
  const replies = new Map<string, ReplySnapshot & { wanted: boolean }>();
  return {
    claim: async (sessionId, owner) => {
      const held = replies.get(sessionId);
      if (held) {
        held.wanted = true;
        return false;
      }
      replies.set(sessionId, { owner, seq: 0, said: "", wanted: false });
      return true;
    },
    renew: async (sessionId, owner) => replies.get(sessionId)?.owner === owner,
    started: async (sessionId, seq) => {
      const reply = replies.get(sessionId);
      if (reply) reply.seq = seq;
    },
    said: async (sessionId, text) => {
      const reply = replies.get(sessionId);
      if (reply) reply.said += text;
    },
    release: async (sessionId, owner) => {
      const reply = replies.get(sessionId);
      if (reply?.owner !== owner) return false;
      replies.delete(sessionId);
      return reply.wanted;
    },
    snapshot: async (sessionId) => {
      const reply = replies.get(sessionId);
      return reply ? { owner: reply.owner, seq: reply.seq, said: reply.said } : null;
    },
  };
}

// The text key outlives the lease a little, so a snapshot never finds an owner without text.
const textTtlMs = 600_000;

/**
 * In Redis, three keys per reply: `spar:reply:<id>` holds the owner (SET NX PX: the lease),
 * `spar:reply:<id>:text` the seq and what was said ("<seq>\n<text>", grown by APPEND), and
 * `spar:reply:<id>:wanted` marks a claim that failed against the lease.
 */
export function redisReplyState(redis: Redis): ReplyState {
  const ownerKey = (sessionId: string) => `spar:reply:${sessionId}`;
  const textKey = (sessionId: string) => `spar:reply:${sessionId}:text`;
  const wantedKey = (sessionId: string) => `spar:reply:${sessionId}:wanted`;
  const keys = (sessionId: string) => [ownerKey(sessionId), textKey(sessionId), wantedKey(sessionId)] as const;
  // Compare-and-act scripts: a claim takes a free lease or marks the held one as wanted; only
  // the holder renews or clears a lease, and clearing it reads (and clears) the mark.
  const claimScript = `if redis.call("SET", KEYS[1], ARGV[1], "PX", ARGV[2], "NX") then
  redis.call("SET", KEYS[2], "0\\n", "PX", ARGV[3]) redis.call("DEL", KEYS[3]) return 1
else redis.call("SET", KEYS[3], "1", "PX", ARGV[3]) return 0 end`;
  const renewScript = `if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("PEXPIRE", KEYS[1], ARGV[2]) else return 0 end`;
  const releaseScript = `if redis.call("GET", KEYS[1]) == ARGV[1] then
  redis.call("DEL", KEYS[1], KEYS[2]) return redis.call("DEL", KEYS[3])
else return 0 end`;
  return {
    claim: async (sessionId, owner, leaseMs) => (await redis.eval(claimScript, 3, ...keys(sessionId), owner, String(leaseMs), String(textTtlMs))) === 1,
    renew: async (sessionId, owner, leaseMs) => (await redis.eval(renewScript, 1, ownerKey(sessionId), owner, String(leaseMs))) === 1,
    started: async (sessionId, seq) => {
      await redis.set(textKey(sessionId), `${seq}\n`, "PX", textTtlMs);
    },
    said: async (sessionId, text) => {
      await redis.append(textKey(sessionId), text);
    },
    release: async (sessionId, owner) => (await redis.eval(releaseScript, 3, ...keys(sessionId), owner)) === 1,
    snapshot: async (sessionId) => {
      const [owner, text] = await redis.mget(ownerKey(sessionId), textKey(sessionId));
      if (!owner) return null;
      const newline = (text ?? "0\n").indexOf("\n");
      return { owner, seq: Number((text ?? "0").slice(0, newline)) || 0, said: (text ?? "").slice(newline + 1) };
    },
  };
}
