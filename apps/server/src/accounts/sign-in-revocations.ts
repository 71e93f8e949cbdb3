import { EventEmitter } from "node:events";
import type { SignInRevocation } from "@spar/domain";
import type { EventBus } from "../events/event-bus.ts";

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

/**
 * Over the event bus: with Redis, every process hears it (this one included), so a sign-out on
 * one process closes the person's practice sockets on all of them.
 */
export function busRevocationChannel(bus: EventBus): RevocationChannel {
  const events = new EventEmitter();
  events.setMaxListeners(0);
  const subscribed = bus.subscribe(channelName, (userId) => events.emit("revoked", userId));
  return {
    publish: async (userId) => {
      await subscribed;
      await bus.publish(channelName, userId);
    },
    subscribe: (listener) => events.on("revoked", listener),
    close: async () => {
      events.removeAllListeners();
      await (await subscribed)();
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
