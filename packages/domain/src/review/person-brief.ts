import type { LearnerHistory } from "@spar/protocol";
import type { Library } from "../library/library.ts";
import type { AssignmentRecord } from "../assignments/assignment-store.ts";
import type { Evidence } from "../scoring/scorecard.ts";
import { coachingQuestions } from "./coaching-questions.ts";
import { assessmentStatus, readiness, readinessRule, type ReadinessLabel } from "./readiness.ts";
import { isStuck } from "./team-overview.ts";

export interface BriefScorecard {
  sessionId: string;
  scenarioTitle: string;
  at: Date;
  criteria: { criterionId: string; competency: string; level: number; rationale: string; evidence: Evidence[] }[];
}

/** A quote from one of the person's sessions, with the session it came from. */
export interface BriefEvidence {
  sessionId: string;
  scenarioTitle: string;
  turn: number;
  quote: string;
  rationale: string;
}

export interface PersonBrief {
  learner: { id: string; name: string };
  recentSessions: number;
  criteria: {
    criterionId: string;
    title: string;
    competency: string;
    meanLevel: number;
    attempts: number;
    /** The most recent quote the level rested on: what the strongest criteria show. */
    evidence: BriefEvidence | null;
    /** The most recent quote that counted against the level: what the weakest criteria show. */
    counterEvidence: BriefEvidence | null;
  }[];
  strongest: string[];
  weakest: string[];
  stuck: string[];
  trends: LearnerHistory["trends"];
  openAssignments: { id: string; scenarioTitle: string; dueAt: string | null; overdue: boolean }[];
  questions: { competency: string | null; question: string }[];
  readiness: { competency: string; score: number; label: ReadinessLabel; sessions: number }[];
  readinessExplanation: string;
  assessments: { scenarioId: string; title: string; maxAttempts: number; attemptsUsed: number; attemptsLeft: number; best: number | null; certified: boolean }[];
}

const round = (value: number) => Math.round(value * 100) / 100;

function criterionTitle(library: Library, criterionId: string, competency: string): string {
  for (const { value } of library.rubrics.values()) {
    if (value.competency !== competency) continue;
    const found = value.criteria.find((criterion) => criterion.id === criterionId);
    if (found) return found.title;
  }
  return criterionId.replace(/-/g, " ");
}

/**
 * The one-to-one brief: where the person stands per criterion over their recent scored sessions,
 * the evidence behind the strongest and weakest, stuck competencies, open work and questions to
 * ask. Every number comes from the scorecards given, newest first.
 */
export function personBrief(
  learner: { id: string; name: string },
  scorecards: readonly BriefScorecard[],
  history: LearnerHistory,
  assignments: readonly AssignmentRecord[],
  library: Library,
  options: { recent: number; stuckAfter: number; now: Date },
): PersonBrief {
  const recent = scorecards.slice(0, options.recent);
  const byCriterion = new Map<string, { competency: string; levels: number[]; evidence: BriefEvidence | null; counterEvidence: BriefEvidence | null }>();
  for (const scorecard of recent) {
    for (const criterion of scorecard.criteria) {
      const entry = byCriterion.get(criterion.criterionId) ?? { competency: criterion.competency, levels: [], evidence: null, counterEvidence: null };
      entry.levels.push(criterion.level);
      const quoted = (stance: Evidence["stance"]): BriefEvidence | null => {
        const found = criterion.evidence.find((each) => each.stance === stance);
        return found ? { sessionId: scorecard.sessionId, scenarioTitle: scorecard.scenarioTitle, turn: found.turn, quote: found.quote, rationale: criterion.rationale } : null;
      };
      // Newest scorecards come first, so the first quote of each stance is the most recent.
      entry.evidence ??= quoted("supports");
      entry.counterEvidence ??= quoted("counts-against");
      byCriterion.set(criterion.criterionId, entry);
    }
  }
  const criteria = [...byCriterion.entries()]
    .map(([criterionId, entry]) => ({
      criterionId,
      title: criterionTitle(library, criterionId, entry.competency),
      competency: entry.competency,
      meanLevel: round(entry.levels.reduce((sum, level) => sum + level, 0) / entry.levels.length),
      attempts: entry.levels.length,
      evidence: entry.evidence,
      counterEvidence: entry.counterEvidence,
    }))
    .sort((a, b) => b.meanLevel - a.meanLevel || a.title.localeCompare(b.title));
  const weakest = criteria.slice(-2).reverse();
  const stuck = history.trends.filter((trend) => isStuck(trend.points.map((point) => point.level), options.stuckAfter)).map((trend) => trend.competency);
  const weakCompetencies = [...new Set([...stuck, ...weakest.map((criterion) => criterion.competency)])];
  return {
    learner,
    recentSessions: recent.length,
    criteria,
    strongest: criteria.slice(0, 2).map((criterion) => criterion.criterionId),
    weakest: weakest.map((criterion) => criterion.criterionId),
    stuck,
    trends: history.trends,
    openAssignments: assignments
      .filter((assignment) => assignment.targets[0]?.status === "open")
      .map((assignment) => ({
        id: assignment.id,
        scenarioTitle: library.scenarios.get(assignment.scenarioId)?.value.title ?? assignment.scenarioId,
        dueAt: assignment.dueAt?.toISOString() ?? null,
        overdue: assignment.dueAt !== null && assignment.dueAt.getTime() < options.now.getTime(),
      })),
    questions: coachingQuestions(weakCompetencies),
    readiness: history.trends.flatMap((trend) => {
      const result = readiness(trend.points.map((point) => point.level));
      return result ? [{ competency: trend.competency, ...result }] : [];
    }),
    readinessExplanation: readinessRule.explanation,
    assessments: [...library.scenarios.values()].flatMap(({ value: scenario }) => {
      if (!scenario.assessment) return [];
      // A session too short to score used no attempt (the practice store does not count it either).
      const attempts = history.sessions.filter((session) => session.scenario.id === scenario.id && session.scoring !== "too_short");
      return [
        {
          scenarioId: scenario.id,
          title: scenario.title,
          maxAttempts: scenario.assessment.max_attempts,
          ...assessmentStatus(
            scenario.assessment.max_attempts,
            attempts.map((attempt) => ({ overall: attempt.score?.overall ?? null, passed: attempt.score?.passed ?? null })),
          ),
        },
      ];
    }),
  };
}
