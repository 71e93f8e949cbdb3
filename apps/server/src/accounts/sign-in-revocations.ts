import { createHash } from "node:crypto";
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

/** Whose sign-ins ended: all of a person's, or the one sign-in a cookie holds (signing out). */
export type Revoked = { userId: string } | { signIn: string };

/** A sign-in's name on the channel: the hash of its cookie token, never the token itself. */
export const signInName = (token: string) => createHash("sha256").update(token).digest("base64url");

/**
 * Ends sign-ins everywhere. A person's auth sessions are deleted by the transaction that
 * deactivates them (or by signing out); this closes what is already open: practice sockets on
 * every process.
 */
export class SignInRevocations implements SignInRevocation {
  constructor(private readonly channel: RevocationChannel) {}

  revoke(userId: string): Promise<void> {
    return this.channel.publish(`user:${userId}`);
  }

  /** One sign-in ended (its cookie signed out): its sockets close, the person's others stay. */
  revokeSignIn(token: string): Promise<void> {
    return this.channel.publish(`sign-in:${signInName(token)}`);
  }

  onRevoked(listener: (revoked: Revoked) => void): void {
    this.channel.subscribe((message) => {
      if (message.startsWith("user:")) listener({ userId: message.slice("user:".length) });
      else if (message.startsWith("sign-in:")) listener({ signIn: message.slice("sign-in:".length) });
    });
  }

  close(): Promise<void> {
    return this.channel.close();
  }
}
