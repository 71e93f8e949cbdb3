// Reply streams on one process (local bus) and across two (Redis, as two buses on one server).
import type { ServerMessage } from "@spar/protocol";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type EventBus, localEventBus } from "../src/events/event-bus.ts";
import { connectRedis, redisEventBus } from "../src/events/redis-event-bus.ts";
import { localReplyState, redisReplyState, type ReplyState } from "../src/practice/reply-state.ts";
import { ReplyStreams, type SessionEvent } from "../src/practice/reply-streams.ts";

const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const texts = (events: SessionEvent[]) =>
  events.map((event) => (event.kind !== "frame" ? `<${event.kind}>` : event.message.type === "reply-delta" ? event.message.text : `<${event.message.type}>`));

/** Resolves when `events` has `count` entries; frames arrive on their own time, so wait on them. */
function until(events: SessionEvent[], test: (events: SessionEvent[]) => boolean, timeoutMs = 5_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const check = () => {
      if (test(events)) return resolve();
      if (Date.now() - started > timeoutMs) return reject(new Error(`waited for events; have ${texts(events).join("|")}`));
      setImmediate(check);
    };
    check();
  });
}

interface Process {
  bus: EventBus;
  streams: ReplyStreams;
}

type Setup = () => Promise<{ one: Process; two: Process; close: () => Promise<void> }>;

const local: Setup = async () => {
  const bus = localEventBus();
  const state = localReplyState();
  const process = { bus, streams: new ReplyStreams(bus, state, { coalesceMs: 0, leaseMs: 600 }) };
  return { one: process, two: process, close: () => bus.close() };
};

const overRedis: Setup = async () => {
  const make = async (): Promise<Process & { state: ReplyState }> => {
    const redis = await connectRedis(redisUrl);
    const bus = redisEventBus(redis);
    const state = redisReplyState(redis.commands);
    return { bus, state, streams: new ReplyStreams(bus, state, { coalesceMs: 0, leaseMs: 600 }) };
  };
  const one = await make();
  const two = await make();
  return { one, two, close: async () => void (await Promise.all([one.bus.close(), two.bus.close()])) };
};

describe.each([
  ["one process", local],
  ["two processes over Redis", overRedis],
] as const)("reply streams (%s)", (_name, setup) => {
  const closers: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const close of closers) await close();
  });
  const open = async () => {
    const made = await setup();
    closers.push(made.close);
    return made;
  };

  it("lets one process generate a session's reply, and a follower elsewhere catch up without hearing text twice", async () => {
    const { one, two } = await open();
    const sessionId = crypto.randomUUID();
    const early: SessionEvent[] = [];
    await one.streams.follow(sessionId, (event) => early.push(event));
    const reply = await one.streams.begin(sessionId);
    expect(reply).not.toBeNull();
    expect(await two.streams.begin(sessionId)).toBeNull();
    reply?.started(4);
    reply?.delta("One ");
    reply?.delta("two ");
    const late: SessionEvent[] = [];
    const followed = await two.streams.follow(sessionId, (event) => late.push(event));
    expect(followed.replying).toBe(true);
    reply?.delta("three.");
    reply?.send({ type: "reply-end", sessionId, turn: { seq: 4, speaker: "persona", text: "One two three.", status: "complete" } } as ServerMessage);
    await reply?.finish();
    await until(late, (events) => texts(events).includes("<reply-end>"));
    await until(early, (events) => texts(events).includes("<reply-end>"));
    expect(texts(early).join("")).toBe("<reply-start>One two three.<reply-end>");
    expect(texts(late).join("")).toBe("<reply-start>One two three.<reply-end>");
    // Released: the next reply may be claimed by either process.
    const next = await two.streams.begin(sessionId);
    expect(next).not.toBeNull();
    await next?.finish();
  });

  it("tells the finishing owner that a reply was wanted while it held the lease, and only then", async () => {
    const { one, two } = await open();
    const sessionId = crypto.randomUUID();
    // Nobody asked: the owner has nothing to look for.
    const quiet = await one.streams.begin(sessionId);
    expect(await quiet?.finish()).toBe(false);
    // A learner turn stored on the other process while the reply finished found the lease held.
    const reply = await one.streams.begin(sessionId);
    expect(await two.streams.begin(sessionId)).toBeNull();
    expect(await reply?.finish()).toBe(true);
    // The mark belonged to that lease: the next owner starts clean.
    const next = await two.streams.begin(sessionId);
    expect(next).not.toBeNull();
    expect(await next?.finish()).toBe(false);
  });

  it("stops the reply from any process, and carries endings and scoring to every follower", async () => {
    const { one, two } = await open();
    const sessionId = crypto.randomUUID();
    const heard: SessionEvent[] = [];
    await one.streams.follow(sessionId, (event) => heard.push(event));
    const reply = await one.streams.begin(sessionId);
    const aborted = new Promise((resolve) => reply?.controller.signal.addEventListener("abort", resolve));
    two.streams.interrupt(sessionId);
    await aborted;
    await reply?.finish();
    two.streams.announce(sessionId, "ended");
    two.streams.announce(sessionId, "scoring");
    await until(heard, (events) => events.length >= 2);
    expect(texts(heard)).toEqual(["<ended>", "<scoring>"]);
  });

  it("tells a follower when the reply's owner is gone and its lease lapsed", async () => {
    const { one, two } = await open();
    if (one === two) return; // one process cannot lose its owner without losing the follower too
    const sessionId = crypto.randomUUID();
    const reply = await one.streams.begin(sessionId);
    reply?.started(2);
    reply?.delta("Half a");
    const heard: SessionEvent[] = [];
    await two.streams.follow(sessionId, (event) => heard.push(event));
    // The owner's process dies: no renewal, no end. (Closing its bus stops it hearing anything.)
    await one.bus.close();
    (one.streams as unknown as { interruptAll(): void }).interruptAll();
    await until(heard, (events) => events.some((event) => event.kind === "orphaned"), 10_000);
    expect(texts(heard)).toEqual(["<reply-start>", "Half a", "<orphaned>"]);
  });
});

describe("coalescing deltas", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "performance"] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("sends the first token at once and gathers the tokens that follow within the window", async () => {
    const bus = localEventBus();
    const streams = new ReplyStreams(bus, localReplyState(), { coalesceMs: 20, leaseMs: 60_000 });
    const heard: SessionEvent[] = [];
    await streams.follow("s1", (event) => heard.push(event));
    const reply = await streams.begin("s1");
    reply?.started(2);
    reply?.delta("Fine. ");
    expect(texts(heard)).toEqual(["<reply-start>", "Fine. "]);
    vi.advanceTimersByTime(5);
    reply?.delta("What ");
    vi.advanceTimersByTime(5);
    reply?.delta("do ");
    expect(heard).toHaveLength(2);
    vi.advanceTimersByTime(10);
    expect(texts(heard).at(-1)).toBe("What do ");
    // A token after a quiet spell longer than the window goes at once again.
    vi.advanceTimersByTime(50);
    reply?.delta("you ");
    expect(texts(heard).at(-1)).toBe("you ");
    reply?.delta("want?");
    reply?.send({ type: "error", code: "INTERNAL", message: "x", sessionId: "s1" });
    expect(texts(heard).slice(-2)).toEqual(["want?", "<error>"]);
    await reply?.finish();
    await bus.close();
  });
});
