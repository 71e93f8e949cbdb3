import type { TurnView } from "@spar/protocol";
import { describe, expect, it } from "vitest";
import { withKeptAudio } from "./kept-audio.ts";

const turn = (seq: number, speaker: TurnView["speaker"]): TurnView => ({ seq, speaker, text: `Turn ${seq}.`, status: "complete", acts: [], at: "2026-03-02T09:00:00.000Z" });

describe("marking the turns whose audio was kept", () => {
  const turns = [turn(1, "persona"), turn(2, "learner"), turn(3, "persona")];

  it("marks only the kept turns, and leaves the others as they were", () => {
    const marked = withKeptAudio(turns, new Set([2, 3]));
    expect(marked.map((each) => each.audio ?? false)).toEqual([false, true, true]);
    expect(marked[0]).toBe(turns[0]);
  });

  it("gives back the same turns where nothing was kept", () => {
    expect(withKeptAudio(turns, new Set())).toBe(turns);
  });
});
