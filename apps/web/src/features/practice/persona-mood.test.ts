import type { TurnView } from "@spar/protocol";
import { describe, expect, it } from "vitest";
import { currentMood, describeMoodChange } from "./persona-mood.ts";

const turn = (seq: number, speaker: TurnView["speaker"], mood?: TurnView["mood"]): TurnView => ({
  seq,
  speaker,
  text: "…",
  status: "complete",
  acts: [],
  at: "2026-12-02T10:00:00.000Z",
  ...(mood ? { mood } : {}),
});

describe("the persona's mood on the meter", () => {
  it("is the newest persona turn's, or the session's before any turn carries one", () => {
    const session = { mood: { trust: 2, resistance: 6 } };
    expect(currentMood(session, [])).toEqual({ trust: 2, resistance: 6 });
    expect(currentMood(session, [turn(1, "persona", { trust: 2, resistance: 6 }), turn(2, "learner"), turn(3, "persona", { trust: 3, resistance: 5 }), turn(4, "learner")])).toEqual({
      trust: 3,
      resistance: 5,
    });
  });

  it("is not there when the session carries none (no show_mood, or an assessment)", () => {
    expect(currentMood({}, [turn(1, "persona", { trust: 2, resistance: 6 })])).toBeNull();
  });

  it("is announced only as it changes, part by part", () => {
    expect(describeMoodChange({ trust: 2, resistance: 6 }, { trust: 3, resistance: 5 })).toBe("Trust rose to 3 of 10. Resistance fell to 5 of 10.");
    expect(describeMoodChange({ trust: 3, resistance: 5 }, { trust: 3, resistance: 8 })).toBe("Resistance rose to 8 of 10.");
    expect(describeMoodChange({ trust: 3, resistance: 5 }, { trust: 3, resistance: 5 })).toBeNull();
  });
});
