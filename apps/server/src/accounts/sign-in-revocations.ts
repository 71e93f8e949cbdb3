import { EventEmitter } from "node:events";
import type { SignInRevocation } from "@spar/domain";
import { Redis } from "ioredis";

/** Where "this person's sign-ins have ended" travels: within one process, or across all of them. */
export interface RevocationChannel {
  publish(userId: string): Promise<void>;
  subscribe(listener: (userId: string) => void): void;
  close(): Promise<void>;
}

/** One process: the event goes straight to this process's listeners. */
export function localRevocationChannel(): RevocationChannel {
  const events = new EventEmitter();
  events.setMaxListeners(0);
  return {
    publish: async (userId) => {
      events.emit("revoked", userId);
    },
    subscribe: (listener) => events.on("revoked", listener),
    close: async () => {
      events.removeAllListeners();
    },
  };
}

const channelName = "spar:sign-in-revoked";

/** Redis was configured but cannot be reached: a message for the operator, not a stack trace. */
export class RedisUnavailableError extends Error {}

/**
 * Several processes: Redis pub/sub carries the event to every process, this one included (a
 * subscriber connection receives what its own process published).
 */
export async function redisRevocationChannel(url: string): Promise<RevocationChannel> {
  const publisher = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3 });
  const subscriber = new Redis(url, { lazyConnect: true });
  // ioredis reconnects by itself after a drop; the last error is kept for the message below.
  let lastError: Error | null = null;
  for (const client of [publisher, subscriber]) client.on("error", (error: Error) => (lastError = error));
  try {
    await publisher.connect();
    await subscriber.connect();
  } catch (error) {
    publisher.disconnect();
    subscriber.disconnect();
    const reason = (lastError ?? (error as Error)).message;
    throw new RedisUnavailableError(`Redis at REDIS_URL did not answer (${reason}). Start it, or unset REDIS_URL to run a single process.`);
  }
  const events = new EventEmitter();
  events.setMaxListeners(0);
  subscriber.on("message", (channel: string, userId: string) => {
    if (channel === channelName) events.emit("revoked", userId);
  });
  await subscriber.subscribe(channelName);
  return {
    publish: async (userId) => {
      await publisher.publish(channelName, userId);
    },
    subscribe: (listener) => events.on("revoked", listener),
    close: async () => {
      events.removeAllListeners();
      await Promise.allSettled([publisher.quit(), subscriber.quit()]);
    },
  };
}

/**
 * Ends a person's sign-ins everywhere. Their auth sessions are deleted by the transaction that
 * deactivates them; this closes what is already open: practice sockets on every process.
 */
export class SignInRevocations implements SignInRevocation {
  constructor(private readonly channel: RevocationChannel) {}

  revoke(userId: string): Promise<void> {
    return this.channel.publish(userId);
  }

  onRevoked(listener: (userId: string) => void): void {
    this.channel.subscribe(listener);
  }

  close(): Promise<void> {
    return this.channel.close();
  }
}
