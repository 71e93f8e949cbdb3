import { describe, expect, it } from "vitest";
import { assessmentStatus, readiness } from "../../src/review/readiness.ts";

describe("readiness", () => {
  it("weighs recent sessions most", () => {
    // newest 3 (weight 1), then 1 (0.7): (3 + 0.7) / 1.7
    expect(readiness([1, 3])).toEqual({ score: 2.18, label: "not-yet", sessions: 2 });
    expect(readiness([3, 1])?.score).toBe(1.82);
  });
  it("uses at most the last five sessions and labels the result", () => {
    expect(readiness([1, 1, 1, 4, 4, 4, 4, 4])).toEqual({ score: 4, label: "ready", sessions: 5 });
    expect(readiness([2.5])?.label).toBe("nearly");
    expect(readiness([])).toBeNull();
  });
});

describe("an assessment", () => {
  it("counts the best attempt and the attempts left", () => {
    expect(assessmentStatus(3, [{ overall: 2.1, passed: false }, { overall: 3.2, passed: true }])).toEqual({ attemptsUsed: 2, attemptsLeft: 1, best: 3.2, certified: true });
    expect(assessmentStatus(2, [{ overall: 1.9, passed: false }, { overall: null, passed: null }])).toEqual({ attemptsUsed: 2, attemptsLeft: 0, best: 1.9, certified: false });
  });
});
