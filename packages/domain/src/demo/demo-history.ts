import type { DemoPerson } from "./demo-organisation.ts";

/**
 * The practice history the demo organisation comes with: several weeks of sessions per learner,
 * at different skill levels, so each state a manager's brief can show has someone in it:
 * improving (Sam Whitaker, Kenji Watanabe), stuck (Tomás Ortega), no practice yet (Oliver
 * Brandt, Ravi Menon) and an overdue assignment (Yusuf Demir, see `demoAssignments`). Pure and
 * deterministic: the same plan every time.
 */
export interface PlannedSession {
  learnerEmail: string;
  scenarioId: string;
  /** Days before "now" the session took place. */
  daysAgo: number;
  /** 0 to 1: how much of what the learner says comes from the strong example rather than the weak one. */
  skill: number;
}

interface LearnerProfile {
  scenarios: readonly string[];
  start: number;
  end: number;
  sessions: number;
}

const profiles: Record<string, LearnerProfile> = {
  "Sam Whitaker": { scenarios: ["sales-discovery-call", "price-objection", "renewal-at-risk"], start: 0.3, end: 0.9, sessions: 8 },
  "Lena Fischer": { scenarios: ["sales-discovery-call", "price-objection"], start: 0.7, end: 0.95, sessions: 6 },
  // Stuck: practises often, but the same habits come back every time.
  "Tomás Ortega": { scenarios: ["price-objection"], start: 0.25, end: 0.25, sessions: 7 },
  "Aisha Bello": { scenarios: ["renewal-at-risk", "sales-discovery-call"], start: 0.5, end: 0.7, sessions: 4 },
  "Yusuf Demir": { scenarios: ["sales-discovery-call", "price-objection"], start: 0.45, end: 0.6, sessions: 3 },
  "Kenji Watanabe": { scenarios: ["frustrated-customer", "missed-deadline"], start: 0.4, end: 0.85, sessions: 7 },
  "Grace O'Neill": { scenarios: ["frustrated-customer", "feedback-to-a-peer"], start: 0.6, end: 0.8, sessions: 5 },
  "Mateo Rossi": { scenarios: ["underperformance", "missed-deadline", "frustrated-customer"], start: 0.2, end: 0.6, sessions: 6 },
  "Nadia Haddad": { scenarios: ["frustrated-customer"], start: 0.8, end: 0.9, sessions: 2 },
  // Customer Success handles renewals too: with her, five people practise sales discovery, enough
  // for the programme view to show its criteria.
  "Chiara Conti": { scenarios: ["frustrated-customer", "renewal-at-risk", "feedback-to-a-peer"], start: 0.35, end: 0.75, sessions: 6 },
};

/** Practice a manager asked for: one overdue and not done, one for a whole team still to come. */
export interface PlannedAssignment {
  managerEmail: string;
  learnerEmails: readonly string[];
  /** Set for a whole team, when it was. */
  team: string | null;
  scenarioId: string;
  /** Days before "now" it was set. */
  setDaysAgo: number;
  /** Days from "now" it is due: below zero, already overdue. */
  dueInDays: number;
  note: string;
}

export function demoAssignments(people: readonly DemoPerson[]): PlannedAssignment[] {
  const email = (name: string) => people.find((person) => person.name === name)?.email ?? "";
  const team = (name: string) => people.filter((person) => person.team === name && person.role === "learner").map((person) => person.email);
  return [
    {
      managerEmail: email("Priya Natarajan"),
      learnerEmails: [email("Yusuf Demir")],
      team: null,
      scenarioId: "renewal-at-risk",
      setDaysAgo: 12,
      dueInDays: -3,
      note: "Before the Hartwell renewal call",
    },
    {
      managerEmail: email("Jordan Reyes"),
      learnerEmails: team("Customer Success"),
      team: "Customer Success",
      scenarioId: "missed-deadline",
      setDaysAgo: 1,
      dueInDays: 6,
      note: "Ahead of the team retro",
    },
  ];
}

export function demoPracticePlan(people: readonly DemoPerson[]): PlannedSession[] {
  const plan: PlannedSession[] = [];
  for (const person of people) {
    const profile = profiles[person.name];
    if (!profile || person.role !== "learner") continue;
    for (let index = 0; index < profile.sessions; index++) {
      const progress = profile.sessions === 1 ? 1 : index / (profile.sessions - 1);
      plan.push({
        learnerEmail: person.email,
        scenarioId: profile.scenarios[index % profile.scenarios.length] as string,
        // Spread over six weeks, oldest first.
        daysAgo: Math.round(42 - progress * 40),
        skill: Math.round((profile.start + (profile.end - profile.start) * progress) * 100) / 100,
      });
    }
  }
  return plan;
}

/**
 * Picks the learner's line for one turn: the strong example's line with probability `skill`,
 * decided by a seeded generator so the demo is the same on every install.
 */
export function seededChooser(seed: number): (skill: number) => boolean {
  let state = seed >>> 0 || 1;
  return (skill) => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32 < skill;
  };
}
