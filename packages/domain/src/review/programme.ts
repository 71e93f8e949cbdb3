import { minimumGroupSize, type ProgrammeView } from "@spar/protocol";
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
    const targets = facts.assignmentTargets.filter((target) => members.has(target.learnerId));
    return {
      suppressed: false as const,
      team: team.name,
      people: members.size,
      sessions: sessions.length,
      activeLearners: new Set(sessions.map((session) => session.learnerId)).size,
      assignmentCompletion: targets.length === 0 ? null : round(targets.filter((target) => target.status === "completed").length / targets.length),
    };
  });

  const scoredPeople = new Set(facts.sessions.map((session) => session.learnerId));
  const byCriterion = new Map<string, { competency: string; weak: number; scored: number }>();
  for (const criterion of facts.sessions.flatMap((session) => session.criteria)) {
    const entry = byCriterion.get(criterion.criterionId) ?? { competency: criterion.competency, weak: 0, scored: 0 };
    entry.scored += 1;
    if (criterion.level <= 2) entry.weak += 1;
    byCriterion.set(criterion.criterionId, entry);
  }
  const weakCriteria =
    scoredPeople.size < minimumGroupSize
      ? { suppressed: true as const, people: null }
      : {
          suppressed: false as const,
          people: scoredPeople.size,
          criteria: [...byCriterion.entries()]
            .map(([criterionId, entry]) => ({ criterionId, competency: entry.competency, weakShare: round(entry.weak / entry.scored), scored: entry.scored }))
            // Ties in criterion order, so the view does not depend on the order the database returns rows in.
            .sort((a, b) => b.weakShare - a.weakShare || b.scored - a.scored || a.criterionId.localeCompare(b.criterionId))
            .slice(0, 10),
        };

  // Learners who practise more than the median against those who practise less.
  const counts = [...scoredPeople].map((learnerId) => ({ learnerId, sessions: facts.sessions.filter((session) => session.learnerId === learnerId) }));
  const sorted = [...counts].sort((a, b) => b.sessions.length - a.sessions.length);
  const half = Math.ceil(sorted.length / 2);
  const groups = [
    ["practise-more", sorted.slice(0, half)],
    ["practise-less", sorted.slice(half)],
  ] as const;
  const movement = groups.map(([group, people]) => {
    if (people.length < minimumGroupSize) return { suppressed: true as const, people: null, group };
    const firsts: number[] = [];
    const lasts: number[] = [];
    for (const person of people) {
      const scored = person.sessions.filter((session) => session.overall !== null).sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
      if (scored.length === 0) continue;
      firsts.push(scored[0]?.overall ?? 0);
      lasts.push(scored.at(-1)?.overall ?? 0);
    }
    const firstOverall = mean(firsts);
    const lastOverall = mean(lasts);
    return { suppressed: false as const, group, people: people.length, firstOverall, lastOverall, change: round(lastOverall - firstOverall) };
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
        ["criterion", "competency", "weak_share", "scored", "suppressed"],
        view.weakCriteria.suppressed ? [["", "", "", "", "yes"]] : view.weakCriteria.criteria.map((row) => [row.criterionId, row.competency, row.weakShare, row.scored, "no"]),
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
