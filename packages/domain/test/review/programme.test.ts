import { describe, expect, it } from "vitest";
import { programmeRows, programmeView, type ProgrammeFacts } from "../../src/review/programme.ts";

const people = (prefix: string, count: number) => Array.from({ length: count }, (_, index) => `${prefix}${index}`);
const session = (learnerId: string, day: number, overall: number, level: number) => ({
  learnerId,
  scenarioId: "exam",
  startedAt: new Date(Date.UTC(2026, 0, day)),
  overall,
  passed: overall >= 3,
  criteria: [{ criterionId: "asks-open-questions", competency: "powerful-questioning", level }],
});

describe("the programme view", () => {
  const big = people("b", 6);
  const small = people("s", 4);
  const facts: ProgrammeFacts = {
    teams: [{ name: "Big", memberIds: big }, { name: "Small", memberIds: small }],
    sessions: [
      ...big.flatMap((id, index) => [session(id, 1, 2, 2), session(id, 5, 3, 3), ...(index < 3 ? [session(id, 9, 3.5, 4)] : [])]),
      ...small.map((id) => session(id, 2, 1.5, 1)),
    ],
    assignmentTargets: [{ learnerId: "b0", status: "completed" }, { learnerId: "b1", status: "open" }, { learnerId: "s0", status: "open" }],
    calibration: [],
    assessmentScenarios: [{ id: "exam", title: "The exam" }],
  };
  const view = programmeView(facts);

  it("suppresses any team under five people, and reports the rest", () => {
    expect(view.teams).toEqual([
      // Two people have assignments: their completion is theirs alone, so it is withheld.
      { suppressed: false, team: "Big", people: 6, sessions: 15, activeLearners: 6, assignmentCompletion: "suppressed" },
      { suppressed: true, people: null, team: "Small" },
    ]);
  });

  it("withholds a figure of a team shown when it rests on fewer than five people", () => {
    const twoPractised = programmeView({
      ...facts,
      sessions: facts.sessions.filter((each) => each.learnerId === "b0" || each.learnerId === "b1"),
      assignmentTargets: big.map((learnerId, index) => ({ learnerId, status: index < 3 ? "completed" : "open" })),
    });
    expect(twoPractised.teams[0]).toEqual({ suppressed: false, team: "Big", people: 6, sessions: "suppressed", activeLearners: 2, assignmentCompletion: 0.5 });
  });

  it("finds the most common weak criteria across the organisation", () => {
    expect(view.weakCriteria).toEqual({
      suppressed: false,
      people: 10,
      criteria: [{ suppressed: false, criterionId: "asks-open-questions", competency: "powerful-questioning", people: 10, weakShare: round((6 + 4) / 19), scored: 19 }],
    });
  });

  it("suppresses a weak-criteria row scored for fewer than five people, however many were scored in all", () => {
    // Two of the ten were also scored on a criterion nobody else was: that row is theirs alone.
    const withRare = programmeView({
      ...facts,
      sessions: facts.sessions.map((each) =>
        each.learnerId === "b0" || each.learnerId === "s0"
          ? { ...each, criteria: [...each.criteria, { criterionId: "names-the-impact", competency: "feedback", level: 1 }] }
          : each,
      ),
    });
    expect(withRare.weakCriteria.suppressed).toBe(false);
    const rows = withRare.weakCriteria.suppressed ? [] : withRare.weakCriteria.criteria;
    expect(rows.map((row) => [row.criterionId, row.suppressed])).toEqual([
      ["asks-open-questions", false],
      ["names-the-impact", true],
    ]);
    expect(rows[1]).toEqual({ suppressed: true, people: null, criterionId: "names-the-impact", competency: "feedback" });
    expect(programmeRows(withRare, "weak-criteria")).toEqual({
      header: ["criterion", "competency", "people", "weak_share", "scored", "suppressed"],
      rows: [
        ["asks-open-questions", "powerful-questioning", 10, 0.53, 19, "no"],
        ["names-the-impact", "feedback", "", "", "", "yes"],
      ],
    });
  });

  it("compares those who practise more with those who practise less, each group at least five", () => {
    expect(view.movement).toEqual([
      { suppressed: false, group: "practise-more", people: 5, firstOverall: 2, lastOverall: 3.3, change: 1.3 },
      { suppressed: false, group: "practise-less", people: 5, firstOverall: 1.6, lastOverall: 1.8, change: 0.2 },
    ]);
    const fewer = programmeView({ ...facts, sessions: facts.sessions.filter((each) => !each.learnerId.startsWith("s")) });
    expect(fewer.movement.every((group) => group.suppressed)).toBe(true);
  });

  it("counts who is certified on an assessment, among at least five who attempted it", () => {
    expect(view.assessments).toEqual([{ suppressed: false, scenario: "The exam", people: 10, certified: 6 }]);
  });

  it("gives each table's rows for a CSV export, suppressed rows marked", () => {
    expect(programmeRows(view, "teams")).toEqual({
      header: ["team", "people", "sessions", "active_learners", "assignment_completion", "suppressed"],
      rows: [
        ["Big", 6, 15, 6, "suppressed", "no"],
        ["Small", "", "", "", "", "yes"],
      ],
    });
  });
});

function round(value: number) {
  return Math.round(value * 100) / 100;
}
