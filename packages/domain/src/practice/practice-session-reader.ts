import type { PracticeSessionView } from "@spar/protocol";
import { learnerWorkAccess, type Viewer } from "../access/access-policy.ts";
import type { AuditLog } from "../audit/audit-log.ts";
import type { TeamDirectory } from "../teams/team-directory.ts";

export interface PracticeSessionViews {
  findSessionView(sessionId: string): Promise<PracticeSessionView | null>;
}

export interface ReadSessionDeps {
  sessions: PracticeSessionViews;
  teams: TeamDirectory;
  audit: AuditLog;
}

export type ReadSessionResult =
  | { ok: true; session: PracticeSessionView }
  | { ok: false; reason: "not-found" | "forbidden" };

/**
 * A practice session with its transcript, for the learner or their manager; a manager's read is
 * audited as `action`: the transcript itself, or its scorecards, which quote it (a review page
 * reads both, and shows as one transcript read and one scorecard read).
 */
export async function readPracticeSession(
  deps: ReadSessionDeps,
  viewer: Viewer,
  sessionId: string,
  action: "transcript.read" | "scorecard.read" | "turn-audio.played" = "transcript.read",
): Promise<ReadSessionResult> {
  const session = await deps.sessions.findSessionView(sessionId);
  if (!session) return { ok: false, reason: "not-found" };
  const access = learnerWorkAccess(viewer, session.learner.id, await deps.teams.managersOf(session.learner.id));
  if (access === "denied") return { ok: false, reason: "forbidden" };
  if (access === "as-manager") {
    await deps.audit.record({
      actorId: viewer.id,
      action,
      subjectUserId: session.learner.id,
      resourceType: "practice-session",
      resourceId: session.id,
    });
  }
  return { ok: true, session };
}
