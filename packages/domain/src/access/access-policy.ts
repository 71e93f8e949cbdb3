import type { Role } from "@spar/protocol";

export interface Viewer {
  id: string;
  role: Role;
}

/** How a viewer stands towards one person's practice work (sessions, transcripts, scores). */
export type LearnerWorkAccess = "own" | "as-manager" | "denied";

/**
 * Learners see their own work; managers see the work of people in the teams they manage;
 * L&D admins see programme aggregates only, never an individual's transcript.
 */
export function learnerWorkAccess(
  viewer: Viewer,
  learnerId: string,
  managersOfLearner: readonly string[],
): LearnerWorkAccess {
  if (viewer.id === learnerId) return "own";
  if (viewer.role === "manager" && managersOfLearner.includes(viewer.id)) return "as-manager";
  return "denied";
}

/**
 * Who may change the level of a person's scorecard: a manager of one of their teams or an L&D
 * admin (who adjudicates the scorer for the whole programme), never the person themselves.
 */
export function mayOverrideLevels(viewer: Viewer, learnerId: string, managersOfLearner: readonly string[]): boolean {
  if (viewer.id === learnerId) return false;
  return viewer.role === "ld_admin" || learnerWorkAccess(viewer, learnerId, managersOfLearner) === "as-manager";
}

/**
 * Who may comment on a turn of a person's transcript: a manager of one of their teams. L&D admins
 * never read individual transcripts, so they have nothing to comment on.
 */
export function mayCommentOnTranscript(viewer: Viewer, learnerId: string, managersOfLearner: readonly string[]): boolean {
  return learnerWorkAccess(viewer, learnerId, managersOfLearner) === "as-manager";
}

/** Who may read the override history of a person's scorecard: whoever may read it or override it. */
export function mayReadOverrides(viewer: Viewer, learnerId: string, managersOfLearner: readonly string[]): boolean {
  return learnerWorkAccess(viewer, learnerId, managersOfLearner) !== "denied" || mayOverrideLevels(viewer, learnerId, managersOfLearner);
}

/**
 * What a viewer may ask of one session's scoring. A manager of the person rescores any ended
 * session (with its own rubric or the latest); the person asks again only when scoring gave up,
 * not to re-roll a score they did not like. L&D admins never act on one person's session: they
 * rescore a whole rubric's sessions from the programme (`mayRescoreProgramme`).
 */
export type RescoreRight = "any" | "failed-only" | "none";

export function rescoreRight(viewer: Viewer, learnerId: string, managersOfLearner: readonly string[]): RescoreRight {
  const access = learnerWorkAccess(viewer, learnerId, managersOfLearner);
  if (access === "as-manager") return "any";
  if (access === "own") return "failed-only";
  return "none";
}

/** Who may rescore every session of a rubric at once (after the rubric changed): L&D admins. */
export function mayRescoreProgramme(viewer: Viewer): boolean {
  return viewer.role === "ld_admin";
}
