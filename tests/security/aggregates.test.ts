// The programme view for organisations it has never seen: whatever the teams, sessions and
// assignments, every row and every figure it shows rests on at least the minimum group of
// people, each on its own (a table resting on enough people does not make its rows anonymous).
import { type ProgrammeFacts, programmeRows, programmeView } from "@spar/domain";
import { minimumGroupSize } from "@spar/protocol";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

const criteria = ["asks-open-questions", "names-the-impact", "agrees-next-steps", "listens"] as const;

/** An organisation: people in teams (some small), who practised what, scored how, assigned what. */
const organisation = fc
  .record({
    teamSizes: fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 4 }),
    practised: fc.array(
      fc.record({
        person: fc.nat(),
        scenario: fc.constantFrom("exam", "drill"),
        day: fc.integer({ min: 1, max: 60 }),
        overall: fc.option(fc.integer({ min: 1, max: 5 }), { nil: null }),
        scored: fc.subarray([...criteria], { minLength: 1 }),
        level: fc.integer({ min: 1, max: 5 }),
        overridden: fc.boolean(),
      }),
      { maxLength: 80 },
    ),
    assigned: fc.array(fc.record({ person: fc.nat(), done: fc.boolean() }), { maxLength: 30 }),
  })
  .map(({ teamSizes, practised, assigned }): ProgrammeFacts => {
    const teams = teamSizes.map((size, team) => ({ name: `Team ${team}`, memberIds: Array.from({ length: size }, (_, index) => `p${team}-${index}`) }));
    const everyone = teams.flatMap((team) => team.memberIds);
    const who = (index: number) => everyone[index % everyone.length] as string;
    return {
      teams,
      sessions: practised.map((session) => ({
        learnerId: who(session.person),
        scenarioId: session.scenario,
        rubricId: "feedback",
        startedAt: new Date(Date.UTC(2026, 0, session.day)),
        overall: session.overall,
        passed: session.overall === null ? null : session.overall >= 3,
        criteria: session.scored.map((criterionId) => ({
          criterionId,
          competency: "feedback",
          level: session.level,
          scorerLevel: session.overridden ? Math.max(1, session.level - 1) : session.level,
        })),
      })),
      assessmentScenarios: [{ id: "exam", title: "The exam" }],
      assignmentTargets: assigned.map((target) => ({ learnerId: who(target.person), status: target.done ? "completed" : "open" })),
      calibration: [],
    };
  });

/** What the view shows that rests on fewer people than the minimum: empty when it is safe. */
function exposures(facts: ProgrammeFacts): string[] {
  const view = programmeView(facts);
  const found: string[] = [];
  const people = (learners: Iterable<string>) => new Set(learners).size;
  for (const row of view.teams) {
    if (row.suppressed) continue;
    const members = new Set(facts.teams.find((team) => team.name === row.team)?.memberIds);
    if (members.size < minimumGroupSize) found.push(`team ${row.team} shown with ${members.size} people`);
    const practising = people(facts.sessions.filter((session) => members.has(session.learnerId)).map((session) => session.learnerId));
    if (typeof row.sessions === "number" && practising < minimumGroupSize) found.push(`team ${row.team}: sessions of ${practising} people`);
    const assigned = people(facts.assignmentTargets.filter((target) => members.has(target.learnerId)).map((target) => target.learnerId));
    if (typeof row.assignmentCompletion === "number" && assigned < minimumGroupSize) found.push(`team ${row.team}: completion of ${assigned} people`);
  }
  if (!view.weakCriteria.suppressed) {
    for (const row of view.weakCriteria.criteria) {
      const scored = people(facts.sessions.filter((session) => session.criteria.some((each) => each.criterionId === row.criterionId)).map((session) => session.learnerId));
      if (!row.suppressed && scored < minimumGroupSize) found.push(`weak criterion ${row.criterionId} from ${scored} people`);
    }
  }
  for (const row of view.movement) if (!row.suppressed && row.people < minimumGroupSize) found.push(`movement ${row.group} of ${row.people} people`);
  for (const row of view.assessments) {
    const attempted = people(facts.sessions.filter((session) => session.scenarioId === "exam").map((session) => session.learnerId));
    if (!row.suppressed && attempted < minimumGroupSize) found.push(`assessment of ${attempted} people`);
  }
  for (const row of view.overrides) {
    const scored = people(facts.sessions.filter((session) => session.criteria.some((each) => each.criterionId === row.criterionId)).map((session) => session.learnerId));
    if (!row.suppressed && scored < minimumGroupSize) found.push(`override drift ${row.criterionId} from ${scored} people`);
  }
  return found;
}

describe("programme aggregates for any organisation", () => {
  it("show no row or figure resting on fewer than the minimum group of people", () => {
    fc.assert(
      fc.property(organisation, (facts) => {
        expect(exposures(facts)).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it("export in CSV only what the view shows: a suppressed row has no figures", () => {
    fc.assert(
      fc.property(organisation, (facts) => {
        const view = programmeView(facts);
        for (const table of ["teams", "weak-criteria", "movement", "assessments", "overrides"] as const) {
          const { header, rows } = programmeRows(view, table);
          const suppressedColumn = header.indexOf("suppressed");
          for (const row of rows.filter((each) => each[suppressedColumn] === "yes")) {
            // Only names (a team, a criterion, a group) are left; every count and share is empty.
            expect(row.filter((cell) => typeof cell === "number")).toEqual([]);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
