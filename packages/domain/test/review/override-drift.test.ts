import { describe, expect, it } from "vitest";
import { programmeRows, programmeView } from "../../src/review/programme.ts";
import { type DriftSession, overrideDrift } from "../../src/review/override-drift.ts";

const scored = (learnerId: string, level: number, scorerLevel: number, rubricId = "listening"): DriftSession => ({
  learnerId,
  rubricId,
  criteria: [
    { criterionId: "reflects-feelings", level, scorerLevel },
    { criterionId: "asks-open-questions", level: 3, scorerLevel: 3 },
  ],
});

describe("the scorer's drift as managers measure it", () => {
  const sessions = [
    scored("p1", 3, 2),
    scored("p2", 4, 2),
    scored("p3", 1, 2),
    scored("p4", 2, 2),
    scored("p5", 2, 2),
    scored("p5", 2, 2),
    // Only three people on this rubric: too few to show.
    scored("q1", 4, 1, "feedback"),
    scored("q2", 4, 1, "feedback"),
    scored("q3", 4, 1, "feedback"),
  ];

  it("counts, per rubric and criterion, the scorecards overridden up and down and the mean change", () => {
    expect(overrideDrift(sessions)).toEqual([
      { suppressed: true, people: null, rubricId: "feedback", criterionId: "asks-open-questions" },
      { suppressed: true, people: null, rubricId: "feedback", criterionId: "reflects-feelings" },
      { suppressed: false, rubricId: "listening", criterionId: "asks-open-questions", people: 5, scored: 6, overridden: 0, up: 0, down: 0, meanChange: null },
      // +1, +2, -1 over three overridden scorecards
      { suppressed: false, rubricId: "listening", criterionId: "reflects-feelings", people: 5, scored: 6, overridden: 3, up: 2, down: 1, meanChange: 0.67 },
    ]);
  });

  it("leaves out sessions whose facts name no rubric, and criteria with no scorer's level count as not overridden", () => {
    expect(overrideDrift([{ learnerId: "x", criteria: [{ criterionId: "c", level: 4, scorerLevel: 1 }] }])).toEqual([]);
    const noScorerLevel = Array.from({ length: 5 }, (_, index) => ({ learnerId: `p${index}`, rubricId: "r", criteria: [{ criterionId: "c", level: 4 }] }));
    expect(overrideDrift(noScorerLevel)).toMatchObject([{ suppressed: false, overridden: 0 }]);
  });

  it("is part of the programme view and its CSV tables", () => {
    const view = programmeView({
      teams: [],
      sessions: sessions.map((session) => ({
        ...session,
        scenarioId: "s",
        startedAt: new Date("2026-01-01"),
        overall: 3,
        passed: true,
        criteria: session.criteria.map((criterion) => ({ ...criterion, competency: "active-listening" })),
      })),
      assignmentTargets: [],
      calibration: [],
      assessmentScenarios: [],
    });
    expect(view.overrides).toHaveLength(4);
    const { header, rows } = programmeRows(view, "overrides");
    expect(header).toEqual(["rubric", "criterion", "people", "scored", "overridden", "up", "down", "mean_change", "suppressed"]);
    expect(rows[0]).toEqual(["feedback", "asks-open-questions", "", "", "", "", "", "", "yes"]);
    expect(rows).toContainEqual(["listening", "reflects-feelings", 5, 6, 3, 2, 1, 0.67, "no"]);
  });
});
