import { describe, expect, it } from "vitest";
import { completeSentences } from "./sentences.ts";

const spans = (text: string, from: number, final: boolean) => completeSentences(text, from, final).map(({ from: start, to }) => text.slice(start, to));

describe("completeSentences", () => {
  it("finds the sentences finished so far and keeps the unfinished one", () => {
    expect(spans("Hello there. How can I", 0, false)).toEqual(["Hello there."]);
    expect(spans("Hello there. How can I help? ", 0, false)).toEqual(["Hello there.", "How can I help?"]);
  });

  it("waits for a space after the stop, so 3.5 or a stop still streaming is not an end", () => {
    expect(spans("It costs 3.5", 0, false)).toEqual([]);
    expect(spans("Wait.", 0, false)).toEqual([]);
    expect(spans("Wait.", 0, true)).toEqual(["Wait."]);
  });

  it("starts where the last sentence ended, and keeps closing quotes with their sentence", () => {
    const text = 'She said "no." Then left! And';
    const first = completeSentences(text, 0, false);
    expect(first.map(({ from, to }) => text.slice(from, to))).toEqual(['She said "no."', "Then left!"]);
    expect(spans(text, first.at(-1)?.to ?? 0, true)).toEqual(["And"]);
  });

  it("treats a line break as the end of a sentence", () => {
    expect(spans("First line\nSecond", 0, true)).toEqual(["First line", "Second"]);
  });
});
