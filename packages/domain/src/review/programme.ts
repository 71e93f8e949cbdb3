import { minimumGroupSize, type ProgrammeView, withheld } from "@spar/protocol";
import { overrideDrift } from "./override-drift.ts";

export interface ProgrammeFacts {
  teams: { name: string; memberIds: string[] }[];
  /**
   * Every ended, scored session: who, when, overall, and each criterion's level, all as they stand
   * with managers' overrides; the scorer's own level beside each, and the rubric, for the drift.
   */
  sessions: {
    learnerId: string;
    scenarioId: string;
    rubricId?: string;
    startedAt: Date;
    overall: number | null;
    passed: boolean | null;
    criteria: { criterionId: string; competency: string; level: number; scorerLevel?: number }[];
  }[];
  /** Scenarios L&D marked as assessments. */
  assessmentScenarios: { id: string; title: string }[];
  assignmentTargets: { learnerId: string; status: string }[];
  calibration: ProgrammeView["calibration"];
}

const round = (value: number) => Math.round(value * 100) / 100;
const mean = (values: readonly number[]) => (values.length === 0 ? 0 : round(values.reduce((sum, value) => sum + value, 0) / values.length));

/**
 * The L&D programme view: aggregates only. Every group under the minimum size is suppressed, and
 * nothing here identifies a person or reaches a transcript.
 */
export function programmeView(facts: ProgrammeFacts): ProgrammeView {
  const teams = facts.teams.map((team) => {
    const members = new Set(team.memberIds);
    if (members.size < minimumGroupSize) return { suppressed: true as const, people: null, team: team.name };
    const sessions = facts.sessions.filter((session) => members.has(session.learnerId));
    const practising = new Set(sessions.map((session) => session.learnerId)).size;
    const targets = facts.assignmentTargets.filter((target) => members.has(target.learnerId));
    const assigned = new Set(targets.map((target) => target.learnerId)).size;
    const completion = () => round(targets.filter((target) => target.status === "completed").length / targets.length);
    return {
      suppressed: false as const,
      team: team.name,
      people: members.size,
      // Each figure is withheld when it rests on fewer people than the minimum, row shown or not.
      sessions: practising < minimumGroupSize ? withheld : sessions.length,
      activeLearners: practising,
      assignmentCompletion: targets.length === 0 ? null : assigned < minimumGroupSize ? withheld : completion(),
    };
  });

  const scoredPeople = new Set(facts.sessions.map((session) => session.learnerId));
  const weakCriteria =
    scoredPeople.size < minimumGroupSize ? { suppressed: true as const, people: null } : { suppressed: false as const, people: scoredPeople.size, criteria: weakCriteriaRows(facts.sessions) };

  // Learners who practise more than the median against those who practise less.
  const counts = [...scoredPeople].map((learnerId) => ({ learnerId, sessions: facts.sessions.filter((session) => session.learnerId === learnerId) }));
  const sorted = [...counts].sort((a, b) => b.sessions.length - a.sessions.length);
  const half = Math.ceil(sorted.length / 2);
  const groups = [
    ["practise-more", sorted.slice(0, half)],
    ["practise-less", sorted.slice(half)],
  ] as const;
  const movement = groups.map(([group, people]) => {
    const firsts: number[] = [];
    const lasts: number[] = [];
    for (const person of people) {
      const scored = person.sessions.filter((session) => session.overall !== null).sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
      if (scored.length === 0) continue;
      firsts.push(scored[0]?.overall ?? 0);
      lasts.push(scored.at(-1)?.overall ?? 0);
    }
    // The means rest on the people with an overall score, who may be fewer than the group.
    if (firsts.length < minimumGroupSize) return { suppressed: true as const, people: null, group };
    const firstOverall = mean(firsts);
    const lastOverall = mean(lasts);
    return { suppressed: false as const, group, people: firsts.length, firstOverall, lastOverall, change: round(lastOverall - firstOverall) };
  });

  const assessments = facts.assessmentScenarios.map((scenario) => {
    const attempts = facts.sessions.filter((session) => session.scenarioId === scenario.id);
    const attempted = new Set(attempts.map((attempt) => attempt.learnerId));
    if (attempted.size < minimumGroupSize) return { suppressed: true as const, people: null, scenario: scenario.title };
    const certified = new Set(attempts.filter((attempt) => attempt.passed).map((attempt) => attempt.learnerId));
    return { suppressed: false as const, scenario: scenario.title, people: attempted.size, certified: certified.size };
  });

  return { minimumGroupSize, teams, weakCriteria, movement, assessments, overrides: overrideDrift(facts.sessions), calibration: facts.calibration };
}

/**
 * How often each criterion was scored weak (level 1 or 2). A criterion scored for fewer people
 * than the minimum group is suppressed on its own: the table as a whole resting on enough people
 * does not make a row built from two of them anonymous.
 */
function weakCriteriaRows(sessions: ProgrammeFacts["sessions"]): Extract<ProgrammeView["weakCriteria"], { suppressed: false }>["criteria"] {
  const byCriterion = new Map<string, { competency: string; people: Set<string>; weak: number; scored: number }>();
  for (const session of sessions) {
    for (const criterion of session.criteria) {
      const entry = byCriterion.get(criterion.criterionId) ?? { competency: criterion.competency, people: new Set<string>(), weak: 0, scored: 0 };
      entry.people.add(session.learnerId);
      entry.scored += 1;
      if (criterion.level <= 2) entry.weak += 1;
      byCriterion.set(criterion.criterionId, entry);
    }
  }
  const entries = [...byCriterion.entries()].sort(([a], [b]) => a.localeCompare(b));
  const shown = entries
    .filter(([, entry]) => entry.people.size >= minimumGroupSize)
    .map(([criterionId, entry]) => ({
      suppressed: false as const,
      criterionId,
      competency: entry.competency,
      people: entry.people.size,
      weakShare: round(entry.weak / entry.scored),
      scored: entry.scored,
    }))
    // Ties in criterion order, so the view does not depend on the order the database returns rows in.
    .sort((a, b) => b.weakShare - a.weakShare || b.scored - a.scored || a.criterionId.localeCompare(b.criterionId))
    .slice(0, 10);
  const suppressed = entries
    .filter(([, entry]) => entry.people.size < minimumGroupSize)
    .map(([criterionId, entry]) => ({ suppressed: true as const, people: null, criterionId, competency: entry.competency }));
  return [...shown, ...suppressed];
}

/** The tables of the programme view, as rows for a CSV export (suppressed rows included as such). */
export type ProgrammeTable = "teams" | "weak-criteria" | "movement" | "assessments" | "overrides" | "calibration";

export interface ProgrammeRows {
  header: string[];
  rows: (string | number | null)[][];
}

export function programmeRows(view: ProgrammeView, table: ProgrammeTable): ProgrammeRows {
  const rows = (header: string[], body: (string | number | null)[][]): ProgrammeRows => ({ header, rows: body });
  switch (table) {
    case "teams":
      return rows(
        ["team", "people", "sessions", "active_learners", "assignment_completion", "suppressed"],
        view.teams.map((team) => (team.suppressed ? [team.team, "", "", "", "", "yes"] : [team.team, team.people, team.sessions, team.activeLearners, team.assignmentCompletion, "no"])),
      );
    case "weak-criteria":
      return rows(
        ["criterion", "competency", "people", "weak_share", "scored", "suppressed"],
        view.weakCriteria.suppressed
          ? [["", "", "", "", "", "yes"]]
          : view.weakCriteria.criteria.map((row) =>
              row.suppressed ? [row.criterionId, row.competency, "", "", "", "yes"] : [row.criterionId, row.competency, row.people, row.weakShare, row.scored, "no"],
            ),
      );
    case "movement":
      return rows(
        ["group", "people", "first_overall", "last_overall", "change", "suppressed"],
        view.movement.map((row) => (row.suppressed ? [row.group, "", "", "", "", "yes"] : [row.group, row.people, row.firstOverall, row.lastOverall, row.change, "no"])),
      );
    case "assessments":
      return rows(
        ["scenario", "people_attempted", "certified", "suppressed"],
        view.assessments.map((row) => (row.suppressed ? [row.scenario, "", "", "yes"] : [row.scenario, row.people, row.certified, "no"])),
      );
    case "overrides":
      return rows(
        ["rubric", "criterion", "people", "scored", "overridden", "up", "down", "mean_change", "suppressed"],
        view.overrides.map((row) =>
          row.suppressed
            ? [row.rubricId, row.criterionId, "", "", "", "", "", "", "yes"]
            : [row.rubricId, row.criterionId, row.people, row.scored, row.overridden, row.up, row.down, row.meanChange, "no"],
        ),
      );
    case "calibration":
      return rows(
        ["scenario", "passed", "exact_agreement", "within_one_agreement", "run_at"],
        view.calibration.map((row) => [row.scenarioId, row.passed ? "yes" : "no", row.exactAgreement, row.withinOneAgreement, row.createdAt]),
      );
  }
}
