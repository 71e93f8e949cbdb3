import { Redis } from "ioredis";
import { type EventBus, LocalListeners, newProcessId } from "./event-bus.ts";

/** Redis was configured but cannot be reached: a message for the operator, not a stack trace. */
export class RedisUnavailableError extends Error {}

/** A connection for commands and one for subscriptions, connected or refused with a clear message. */
export async function connectRedis(url: string): Promise<{ commands: Redis; subscriber: Redis }> {
  const commands = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3 });
  const subscriber = new Redis(url, { lazyConnect: true });
  // ioredis reconnects by itself after a drop; the last error is kept for the message below.
  let lastError: Error | null = null;
  for (const client of [commands, subscriber]) client.on("error", (error: Error) => (lastError = error));
  try {
    await commands.connect();
    await subscriber.connect();
  } catch (error) {
    commands.disconnect();
    subscriber.disconnect();
    const reason = (lastError ?? (error as Error)).message;
    throw new RedisUnavailableError(`Redis at REDIS_URL did not answer (${reason}). Start it, or unset REDIS_URL to run a single process.`);
  }
  return { commands, subscriber };
}

/**
 * Several processes: Redis pub/sub carries each message to every process. This process's own
 * subscribers are told straight away (no round trip through Redis), and its own messages coming
 * back from Redis are dropped, so each listener hears each message once, in publishing order.
 * A channel is subscribed in Redis while this process has a listener on it.
 */
export function redisEventBus(redis: { commands: Redis; subscriber: Redis }, processId = newProcessId()): EventBus {
  const listeners = new LocalListeners();
  const origin = `${processId}\n`;
  // A second listener on a channel waits for the first one's SUBSCRIBE, so neither misses a message.
  const subscribed = new Map<string, Promise<unknown>>();
  redis.subscriber.on("message", (channel: string, envelope: string) => {
    if (envelope.startsWith(origin)) return;
    listeners.deliver(channel, envelope.slice(envelope.indexOf("\n") + 1));
  });
  return {
    processId,
    shared: true,
    publish: async (channel, message) => {
      listeners.deliver(channel, message);
      await redis.commands.publish(channel, origin + message);
    },
    subscribe: async (channel, listener) => {
      if (listeners.add(channel, listener)) subscribed.set(channel, redis.subscriber.subscribe(channel));
      await subscribed.get(channel);
      return async () => {
        if (!listeners.remove(channel, listener)) return;
        subscribed.delete(channel);
        await redis.subscriber.unsubscribe(channel);
      };
    },
    close: async () => {
      listeners.clear();
      await Promise.allSettled([redis.commands.quit(), redis.subscriber.quit()]);
    },
  };
}
