import type { ScorecardView } from "@spar/protocol";
import { describe, expect, it } from "vitest";
import { adjudicatedScorecard } from "../../src/adjudication/adjudicated-scorecard.ts";
import type { LevelOverrideRecord } from "../../src/adjudication/adjudication-store.ts";
import { rubric } from "./rubric-fixture.ts";

const criterion = (criterionId: string, title: string, weight: number, level: 1 | 2 | 3 | 4) => ({
  criterionId,
  title,
  competency: "active-listening",
  weight,
  level,
  levelLabel: rubric.scale[String(level) as "1"],
  levelDescription: `${title} at level ${level}.`,
  rationale: "The scorer's reasons.",
  evidence: [{ turn: 3, quote: "That sounds really frustrating for you", stance: "supports" as const }],
  sampleLevels: [],
});

const view: ScorecardView = {
  id: "card-1",
  sessionId: "session-1",
  scorer: "offline",
  model: null,
  rubric: { id: "listening", version: 1, contentHash: "hash-listening", title: "Listening" },
  overall: 2.33,
  passMark: 3,
  passed: false,
  nextStep: { criterionId: "reflects-feelings", text: "Name the feeling.", moment: null },
  criteria: [criterion("reflects-feelings", "Reflects feelings", 2, 2), criterion("asks-open-questions", "Asks open questions", 1, 3)],
  metrics: {},
  flags: [],
  createdAt: "2026-03-02T09:00:00.000Z",
};

const override = (changes: Partial<LevelOverrideRecord>): LevelOverrideRecord => ({
  id: "o-1",
  scorecardId: "card-1",
  criterionId: "reflects-feelings",
  seq: 1,
  scorerLevel: 2,
  level: 4,
  reason: "Named the frustration twice.",
  author: { id: "mia", name: "Mia Manager" },
  createdAt: new Date("2026-03-03T10:00:00Z"),
  ...changes,
});

describe("a scorecard with a manager's override", () => {
  it("shows the level in force beside the scorer's, with the reason, who and when, and follows it in the overall", () => {
    const adjudicated = adjudicatedScorecard(view, rubric, [override({ seq: 1, level: 3, id: "o-0" }), override({ seq: 2 }), override({ scorecardId: "card-2", level: 1 })]);
    expect(adjudicated.criteria[0]).toMatchObject({
      level: 4,
      levelLabel: "Role model",
      levelDescription: "Reflects feelings at level 4.",
      scorerLevel: 2,
      rationale: "The scorer's reasons.",
      override: { level: 4, levelLabel: "Role model", reason: "Named the frustration twice.", by: { id: "mia", name: "Mia Manager" }, at: "2026-03-03T10:00:00.000Z" },
    });
    expect(adjudicated.criteria[1]).toMatchObject({ level: 3, scorerLevel: 3, override: null });
    expect(adjudicated).toMatchObject({ overall: 3.67, passed: true, scorerOverall: 2.33, scorerPassed: false });
  });

  it("is the scorer's scorecard, with the scorer's level named, when nobody overrode it", () => {
    const plain = adjudicatedScorecard(view, rubric, [override({ scorecardId: "another-card" })]);
    expect(plain.overall).toBe(2.33);
    expect(plain.scorerOverall).toBeUndefined();
    expect(plain.criteria.map((each) => [each.level, each.scorerLevel, each.override])).toEqual([
      [2, 2, null],
      [3, 3, null],
    ]);
  });
});
