import type { ServerMessage } from "@spar/protocol";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ReplyBroadcasts } from "../src/practice/reply-broadcasts.ts";

const texts = (messages: ServerMessage[]) => messages.map((message) => (message.type === "reply-delta" ? message.text : `<${message.type}>`));

describe("reply broadcasts", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("sends one frame per token when coalescing is off", () => {
    const frames: ServerMessage[] = [];
    const reply = new ReplyBroadcasts({ coalesceMs: 0 }).begin("s1", (message) => frames.push(message));
    reply?.started(2);
    for (const token of ["Fine. ", "What ", "now?"]) reply?.delta(token);
    expect(texts(frames)).toEqual(["<reply-start>", "Fine. ", "What ", "now?"]);
  });

  it("sends the first token at once and gathers the tokens that follow within the window", () => {
    const frames: ServerMessage[] = [];
    const reply = new ReplyBroadcasts({ coalesceMs: 20 }).begin("s1", (message) => frames.push(message));
    reply?.started(2);
    reply?.delta("Fine. ");
    expect(texts(frames)).toEqual(["<reply-start>", "Fine. "]);
    vi.advanceTimersByTime(5);
    reply?.delta("What ");
    vi.advanceTimersByTime(5);
    reply?.delta("do ");
    expect(frames).toHaveLength(2);
    vi.advanceTimersByTime(10);
    expect(texts(frames).at(-1)).toBe("What do ");
    // A token after a quiet spell longer than the window goes at once again.
    vi.advanceTimersByTime(50);
    reply?.delta("you ");
    expect(texts(frames).at(-1)).toBe("you ");
    reply?.delta("want?");
    reply?.send({ type: "error", code: "INTERNAL", message: "x", sessionId: "s1" });
    expect(texts(frames).slice(-2)).toEqual(["want?", "<error>"]);
  });

  it("catches a joining listener up without sending it the pending text twice", () => {
    const first: ServerMessage[] = [];
    const joined: ServerMessage[] = [];
    const broadcasts = new ReplyBroadcasts({ coalesceMs: 20 });
    const reply = broadcasts.begin("s1", (message) => first.push(message));
    reply?.started(4);
    reply?.delta("One ");
    reply?.delta("two ");
    expect(broadcasts.join("s1", (message) => joined.push(message))).toBe(true);
    vi.advanceTimersByTime(20);
    reply?.finish();
    expect(texts(joined).join("")).toBe("<reply-start>One two ");
    expect(texts(first).join("")).toBe("<reply-start>One two ");
    expect(broadcasts.isStreaming("s1")).toBe(false);
  });
});
