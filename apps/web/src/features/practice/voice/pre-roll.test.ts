import { describe, expect, it } from "vitest";
import { PreRoll } from "./pre-roll.ts";

const frame = (marker: number) => Uint8Array.of(marker).buffer;
const markers = (frames: ArrayBuffer[]) => frames.map((each) => new Uint8Array(each)[0]);

describe("PreRoll", () => {
  it("keeps only the last moments and hands over those since a time, oldest first", () => {
    const preRoll = new PreRoll(100);
    for (let at = 0; at <= 200; at += 40) preRoll.push(frame(at / 40), at);
    // Frames at 0..200 ms every 40 ms; kept: 120, 160, 200.
    expect(markers(preRoll.takeSince(150))).toEqual([4, 5]);
    expect(preRoll.takeSince(0)).toEqual([]);
  });

  it("hands over everything it kept when asked from before its oldest frame", () => {
    const preRoll = new PreRoll(1_000);
    preRoll.push(frame(1), 10);
    preRoll.push(frame(2), 50);
    expect(markers(preRoll.takeSince(-Infinity))).toEqual([1, 2]);
  });
});
