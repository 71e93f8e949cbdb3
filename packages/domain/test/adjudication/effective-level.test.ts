import { describe, expect, it } from "vitest";
import { effectiveLevel, effectiveScore, overrideInForce } from "../../src/adjudication/effective-level.ts";
import { rubric } from "./rubric-fixture.ts";

describe("the level in force of a criterion", () => {
  it("is the scorer's level while nobody has overridden it", () => {
    expect(effectiveLevel(2, [])).toBe(2);
  });

  it("is the newest override by its seq, whatever order they are listed in", () => {
    const overrides = [
      { seq: 2, level: 4 },
      { seq: 3, level: 1 },
      { seq: 1, level: 3 },
    ];
    expect(effectiveLevel(2, overrides)).toBe(1);
    expect(overrideInForce(overrides)).toEqual({ seq: 3, level: 1 });
    expect(overrideInForce([])).toBeNull();
  });

  it("can be put back to the scorer's level by a newer override", () => {
    expect(effectiveLevel(2, [{ seq: 1, level: 4 }, { seq: 2, level: 2 }])).toBe(2);
  });

  it("refuses a level off the scale rather than passing it on", () => {
    expect(() => effectiveLevel(2, [{ seq: 1, level: 7 }])).toThrow(RangeError);
  });
});

describe("a scorecard's overall with the levels in force", () => {
  const criteria = (reflects: { seq: number; level: number }[]) => [
    { criterionId: "reflects-feelings", competency: "active-listening", scorerLevel: 2, overrides: reflects },
    { criterionId: "asks-open-questions", competency: "active-listening", scorerLevel: 3, overrides: [] },
  ];

  it("is the weighted mean of the scorer's levels when nothing was overridden", () => {
    // (2 x 2 + 3 x 1) / 3
    expect(effectiveScore(rubric, "offline", criteria([]))).toEqual({
      overall: 2.33,
      passed: false,
      scorer: "offline",
      criteria: [
        { competency: "active-listening", level: 2 },
        { competency: "active-listening", level: 3 },
      ],
    });
  });

  it("moves with an override exactly as the same level from the scorer would, and can pass the session", () => {
    const score = effectiveScore(rubric, "llm", criteria([{ seq: 1, level: 4 }]));
    // (4 x 2 + 3 x 1) / 3
    expect(score.overall).toBe(3.67);
    expect(score.passed).toBe(true);
    expect(score.criteria[0]?.level).toBe(4);
  });
});
