import { describe, expect, it } from "vitest";
import type { CriterionResult } from "../../src/scoring/scorecard.ts";
import { combineSamples, medianLevel } from "../../src/scoring/self-consistency.ts";

const sample = (listening: CriterionResult["level"], planning: CriterionResult["level"], tag: string): CriterionResult[] => [
  { criterionId: "listening", level: listening, rationale: `listening ${tag}`, evidence: [{ turn: 2, quote: `quote ${tag} for listening`, stance: "supports" }] },
  { criterionId: "planning", level: planning, rationale: `planning ${tag}`, evidence: [{ turn: 4, quote: `quote ${tag} for planning`, stance: "supports" }] },
];

describe("self-consistency over judge samples", () => {
  it("takes the median level per criterion, with the evidence of a sample at the median and every level kept", () => {
    const combined = combineSamples([sample(4, 2, "a"), sample(2, 2, "b"), sample(3, 1, "c")]);
    expect(combined).toEqual([
      { criterionId: "listening", level: 3, rationale: "listening c", evidence: [{ turn: 2, quote: "quote c for listening", stance: "supports" }], sampleLevels: [4, 2, 3] },
      { criterionId: "planning", level: 2, rationale: "planning a", evidence: [{ turn: 4, quote: "quote a for planning", stance: "supports" }], sampleLevels: [2, 2, 1] },
    ]);
  });

  it("rounds a split between two samples down, never up", () => {
    expect(medianLevel([3, 2])).toBe(2);
    expect(medianLevel([4, 1, 3, 2])).toBe(2);
    expect(combineSamples([sample(3, 4, "a"), sample(2, 4, "b")])[0]).toMatchObject({ level: 2, rationale: "listening b", sampleLevels: [3, 2] });
  });

  it("returns one sample as it is, with no disagreement to record", () => {
    expect(combineSamples([sample(3, 2, "a")])).toEqual(sample(3, 2, "a"));
    expect(combineSamples([])).toEqual([]);
  });
});
