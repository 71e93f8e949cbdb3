import { describe, expect, it } from "vitest";
import { heardChars, playedMs, type TimedSentence } from "./speech-timeline.ts";

// "Hello there. How can I help you today?" spoken as two sentences, with a 0.5 s gap between them.
const sentences: TimedSentence[] = [
  { from: 0, to: 12, startsAt: 10, endsAt: 11.2 },
  { from: 13, to: 38, startsAt: 11.7, endsAt: 14.2 },
];

describe("heardChars", () => {
  it("is nothing before the audio starts", () => {
    expect(heardChars(sentences, 9)).toBe(0);
    expect(heardChars(sentences, 10)).toBe(0);
  });

  it("estimates within a sentence from the share of its audio played", () => {
    expect(heardChars(sentences, 10.6)).toBe(6);
    expect(heardChars(sentences, 12.95)).toBe(13 + 12);
  });

  it("is the end of the last sentence played through, in a gap and after the end", () => {
    expect(heardChars(sentences, 11.5)).toBe(12);
    expect(heardChars(sentences, 20)).toBe(38);
  });

  it("is nothing for a turn with no audio yet", () => {
    expect(heardChars([], 5)).toBe(0);
  });
});

describe("playedMs", () => {
  it("adds up the audio played, not the gaps", () => {
    expect(playedMs(sentences, 9)).toBe(0);
    expect(playedMs(sentences, 11.5)).toBe(1200);
    expect(playedMs(sentences, 12.7)).toBe(2200);
    expect(playedMs(sentences, 30)).toBe(3700);
  });
});
