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
