import type { TurnView } from "@spar/protocol";
import { describe, expect, it } from "vitest";
import { labelledTurns, moodPoints, moodSummary } from "./mood-points.ts";

const turn = (seq: number, speaker: TurnView["speaker"], mood?: TurnView["mood"]): TurnView => ({
  seq,
  speaker,
  text: "…",
  status: "complete",
  acts: [],
  at: "2026-12-02T10:00:00.000Z",
  ...(mood ? { mood } : {}),
});

describe("the scorecard's mood curve", () => {
  it("has a point for each persona turn with a mood, numbered as the transcript numbers turns", () => {
    const points = moodPoints([
      turn(1, "persona", { trust: 2, resistance: 6 }),
      turn(2, "learner"),
      turn(3, "persona", { trust: 3, resistance: 5 }),
      turn(4, "learner"),
      turn(5, "persona"),
    ]);
    expect(points).toEqual([
      { turn: 1, trust: 2, resistance: 6 },
      { turn: 3, trust: 3, resistance: 5 },
    ]);
  });

  it("has none for a conversation whose mood was not shown", () => {
    expect(moodPoints([turn(1, "persona"), turn(2, "learner"), turn(3, "persona")])).toEqual([]);
  });

  it("is summed up in a sentence", () => {
    expect(moodSummary([{ turn: 1, trust: 2, resistance: 6 }, { turn: 3, trust: 4, resistance: 6 }])).toBe(
      "Trust went from 2 to 4 and resistance stayed at 6 (out of 10), over 2 turns of the other person.",
    );
    expect(moodSummary([])).toBe("No mood was recorded.");
  });

  it("labels every turn on a short curve, and thins the labels out on a long one, keeping the last", () => {
    const points = (count: number) => Array.from({ length: count }, (_, index) => ({ turn: 1 + 2 * index, trust: 5, resistance: 5 }));
    expect([...labelledTurns(points(4))]).toEqual([1, 3, 5, 7]);
    expect([...labelledTurns(points(25))]).toEqual([1, 7, 13, 19, 25, 31, 37, 43, 49]);
  });
});
