// Limits several processes share through Redis: two limiters on one Redis count together, as
// two server processes would; the admission cap holds under racing upgrades.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectRedis } from "../src/events/redis-event-bus.ts";
import { messageRateLimiter } from "../src/practice/message-rate-limiter.ts";
import { localSocketAdmission, redisSocketAdmission } from "../src/practice/socket-admission.ts";

const redisUrl = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

describe("limits shared through Redis", () => {
  let one: Awaited<ReturnType<typeof connectRedis>>;
  let two: Awaited<ReturnType<typeof connectRedis>>;
  beforeAll(async () => {
    one = await connectRedis(redisUrl);
    two = await connectRedis(redisUrl);
  });
  afterAll(async () => {
    for (const redis of [one, two]) await Promise.allSettled([redis.commands.quit(), redis.subscriber.quit()]);
  });

  it("counts one learner's messages on two processes against one limit", async () => {
    const learner = randomUUID();
    const limiters = [one, two].map((redis) => messageRateLimiter({ perSecond: 1, burst: 6, redis: redis.commands }));
    const waits = await Promise.all(Array.from({ length: 20 }, (_, index) => (limiters[index % 2] as (typeof limiters)[number]).take(learner)));
    expect(waits.filter((wait) => wait === 0)).toHaveLength(6);
    expect(Math.min(...waits.filter((wait) => wait > 0))).toBeGreaterThan(0);
    // Per process, the same twenty would have let twelve through.
    const local = [messageRateLimiter({ perSecond: 1, burst: 6 }), messageRateLimiter({ perSecond: 1, burst: 6 })];
    const localWaits = await Promise.all(Array.from({ length: 20 }, (_, index) => (local[index % 2] as (typeof local)[number]).take(learner)));
    expect(localWaits.filter((wait) => wait === 0)).toHaveLength(12);
  });

  it("admits no more sockets per learner than the cap, however the upgrades race across processes", async () => {
    const learner = randomUUID();
    const admissions = [one, two].map((redis) => redisSocketAdmission(redis.commands, 3, 60_000));
    const sockets = Array.from({ length: 12 }, () => randomUUID());
    const admitted = await Promise.all(sockets.map((socket, index) => (admissions[index % 2] as (typeof admissions)[number]).admit(learner, socket)));
    expect(admitted.filter(Boolean)).toHaveLength(3);
    // A released socket makes room, on either process.
    const first = sockets[admitted.indexOf(true)] as string;
    await admissions[1]?.release(learner, first);
    expect(await admissions[0]?.admit(learner, randomUUID())).toBe(true);
    expect(await admissions[0]?.admit(learner, randomUUID())).toBe(false);
  });

  it("stops counting the sockets of a process that died once their entries lapse", async () => {
    const learner = randomUUID();
    const crashed = redisSocketAdmission(one.commands, 1, 200);
    expect(await crashed.admit(learner, randomUUID())).toBe(true);
    const survivor = redisSocketAdmission(two.commands, 1, 200);
    expect(await survivor.admit(learner, randomUUID())).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 250)); // the entry's lifetime, nothing renewing it
    expect(await survivor.admit(learner, randomUUID())).toBe(true);
  });

  it("caps sockets per learner within one process without Redis", async () => {
    const admission = localSocketAdmission(2);
    expect(await admission.admit("l", "a")).toBe(true);
    expect(await admission.admit("l", "b")).toBe(true);
    expect(await admission.admit("l", "c")).toBe(false);
    await admission.release("l", "a");
    expect(await admission.admit("l", "c")).toBe(true);
  });
});
