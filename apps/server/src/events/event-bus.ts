import { randomBytes } from "node:crypto";
import { hostname } from "node:os";

export type BusListener = (message: string) => void;
export type Unsubscribe = () => Promise<void>;

/**
 * Messages between server processes: reply frames, interrupts, session and scoring events,
 * library and sign-in events. Every subscriber of a channel gets every message published on it,
 * on this process and every other one sharing the bus; this process's own subscribers get its
 * messages at once, in the order published.
 */
export interface EventBus {
  /** Names this process in leases and logs. */
  readonly processId: string;
  /** True when messages reach other processes (Redis), false within this process only. */
  readonly shared: boolean;
  publish(channel: string, message: string): Promise<void>;
  /** Resolves once subscribed: nothing published after that is missed. */
  subscribe(channel: string, listener: BusListener): Promise<Unsubscribe>;
  close(): Promise<void>;
}

/** A short random name for a server process, safe to show (no host name or pid). */
export const newNodeName = () => randomBytes(4).toString("hex");

export const newProcessId = (node = newNodeName()) => `${hostname()}:${process.pid}:${node}`;

/** The listeners of each channel in this process, shared by both buses. */
export class LocalListeners {
  readonly #byChannel = new Map<string, Set<BusListener>>();

  /** Adds a listener; true when it is the channel's first (the bus subscribes then). */
  add(channel: string, listener: BusListener): boolean {
    const listeners = this.#byChannel.get(channel) ?? new Set<BusListener>();
    listeners.add(listener);
    this.#byChannel.set(channel, listeners);
    return listeners.size === 1;
  }

  /** Removes a listener; true when it was the channel's last (the bus unsubscribes then). */
  remove(channel: string, listener: BusListener): boolean {
    const listeners = this.#byChannel.get(channel);
    if (!listeners?.delete(listener)) return false;
    if (listeners.size > 0) return false;
    this.#byChannel.delete(channel);
    return true;
  }

  deliver(channel: string, message: string): void {
    // A copy: a listener may unsubscribe (or subscribe another) while it is told.
    for (const listener of [...(this.#byChannel.get(channel) ?? [])]) listener(message);
  }

  get channels(): number {
    return this.#byChannel.size;
  }

  clear(): void {
    this.#byChannel.clear();
  }
}

/** One process: the embedded default, where nothing needs to travel further. */
export function localEventBus(processId = newProcessId()): EventBus {
  const listeners = new LocalListeners();
  return {
    processId,
    shared: false,
    publish: async (channel, message) => listeners.deliver(channel, message),
    subscribe: async (channel, listener) => {
      listeners.add(channel, listener);
      return async () => {
        listeners.remove(channel, listener);
      };
    },
    close: async () => listeners.clear(),
  };
}
