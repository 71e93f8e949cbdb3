import { describe, expect, it } from "vitest";
import { SentenceCutter, type SpokenSentence } from "./spoken-sentences.ts";

/** Streams `text` in pieces of `size` characters, collecting every sentence handed out. */
function streamed(text: string, size: number): SpokenSentence[] {
  const cutter = new SentenceCutter();
  const sentences: SpokenSentence[] = [];
  for (let at = 0; at < text.length; at += size) sentences.push(...cutter.push(text.slice(at, at + size)));
  return [...sentences, ...cutter.finish()];
}

describe("cutting a streamed reply into sentences", () => {
  const reply = "Look, I hear you. But this is the third time this month! Why should I believe it'll change?";

  it("hands a sentence out as soon as the next one begins, whatever the pieces' size", () => {
    for (const size of [1, 3, 7, 200]) {
      const sentences = streamed(reply, size);
      expect(sentences.map((each) => each.text)).toEqual(["Look, I hear you.", "But this is the third time this month!", "Why should I believe it'll change?"]);
      // Each sentence's place is where it lies in the reply.
      for (const sentence of sentences) expect(reply.slice(sentence.from, sentence.to)).toBe(sentence.text);
    }
  });

  it("gives the first sentence before the reply is finished", () => {
    const cutter = new SentenceCutter();
    expect(cutter.push("Fine. Then tell me")).toEqual([{ text: "Fine.", from: 0, to: 5 }]);
    expect(cutter.push(" what happens next")).toEqual([]);
    expect(cutter.finish()).toEqual([{ text: "Then tell me what happens next", from: 6, to: 36 }]);
  });

  it("speaks a run-on sentence in parts at its clause breaks", () => {
    const runOn = `${"and then we waited, ".repeat(25)}and nothing happened.`;
    const sentences = streamed(runOn, 10);
    expect(sentences.length).toBeGreaterThan(1);
    expect(sentences.map((each) => each.text).join(" ")).toBe(runOn.trim());
  });

  it("passes over text with nothing to say", () => {
    expect(streamed("… ", 1)).toEqual([]);
    expect(new SentenceCutter().finish()).toEqual([]);
  });
});

describe("a sentence that ends with its punctuation", () => {
  it("is handed out as soon as the space after it arrives, without waiting for the next word", () => {
    const cutter = new SentenceCutter();
    expect(cutter.push("Fine, I'm listening.")).toEqual([]);
    expect(cutter.push(" ")).toEqual([{ text: "Fine, I'm listening.", from: 0, to: 20 }]);
    expect(cutter.push("Why? ")).toEqual([{ text: "Why?", from: 21, to: 25 }]);
  });

  it("does not trust a full stop after a short word to end one before the next word comes", () => {
    expect(new SentenceCutter().push("Ask Mr. ")).toEqual([]);
    expect(new SentenceCutter().push("We agreed on 3 p.m. ")).toEqual([]);
  });
});
