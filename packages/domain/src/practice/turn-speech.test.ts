import { describe, expect, it } from "vitest";
import { heardPart, speechOf, timedTranscript } from "./turn-speech.ts";

describe("the part of a reply the learner heard", () => {
  const reply = "I understand. But the invoice was wrong twice, and nobody called me back.";

  it("keeps what was heard, finishing the word being spoken", () => {
    expect(heardPart(reply, 13)).toBe("I understand.");
    expect(heardPart(reply, 20)).toBe("I understand. But the");
    expect(heardPart(reply, 23)).toBe("I understand. But the invoice");
  });

  it("is null when everything was heard", () => {
    expect(heardPart(reply, reply.length)).toBeNull();
    expect(heardPart(reply, reply.length + 10)).toBeNull();
    expect(heardPart(`${reply}  `, reply.length)).toBeNull();
  });

  it("keeps at least the first word", () => {
    expect(heardPart(reply, 0)).toBe("I");
    expect(heardPart("  Sorry, what?", 0)).toBe("  Sorry,");
  });
});

describe("reading a stored speech column", () => {
  it("reads dates and words back, and nothing from a typed turn or a damaged column", () => {
    expect(speechOf({ startedAt: "2026-01-01T10:00:00.000Z", endedAt: "2026-01-01T10:00:02.500Z", words: [{ text: "hi", startMs: 0, endMs: 300 }] })).toEqual({
      startedAt: new Date("2026-01-01T10:00:00.000Z"),
      endedAt: new Date("2026-01-01T10:00:02.500Z"),
      words: [{ text: "hi", startMs: 0, endMs: 300 }],
    });
    expect(speechOf(null)).toBeNull();
    expect(speechOf({ startedAt: "yesterday" })).toBeNull();
  });
});

describe("a session's spoken turns on one timeline", () => {
  it("places turns and their words from the session's start and leaves typed turns out", () => {
    const start = new Date("2026-01-01T10:00:00.000Z");
    const at = (ms: number) => new Date(start.getTime() + ms);
    const timed = timedTranscript(
      [
        { speaker: "persona", text: "Hello.", speech: { startedAt: at(1_000), endedAt: at(2_000), words: [] } },
        { speaker: "learner", text: "typed", speech: null },
        { speaker: "learner", text: "Hi there", speech: { startedAt: at(3_000), endedAt: at(4_000), words: [{ text: "Hi", startMs: 100, endMs: 300 }] } },
      ],
      start,
    );
    expect(timed).toEqual([
      { speaker: "persona", text: "Hello.", startMs: 1_000, endMs: 2_000, words: [] },
      { speaker: "learner", text: "Hi there", startMs: 3_000, endMs: 4_000, words: [{ text: "Hi", startMs: 3_100, endMs: 3_300 }] },
    ]);
  });
});
