import { OpenSessionView } from "@spar/protocol";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router";
import { z } from "zod";
import { api } from "../../api/client.ts";
import { ConfirmDialog } from "../../components/confirm-dialog.tsx";

const OpenSessionsResponse = z.object({ sessions: z.array(OpenSessionView) });
export const openSessionsKey = ["practice-sessions", "open"] as const;

/** The id the practice room's open-session limit message links to. */
export const sessionsInProgressId = "in-progress";

/**
 * The learner's conversations still open, newest first: resume one, or discard it. Discarding
 * sets it aside unscored (an assessment can only be ended, so it offers Resume alone). Shown
 * only when there is one, so a learner who finishes what they start never sees it.
 */
export function SessionsInProgress() {
  const client = useQueryClient();
  const open = useQuery({ queryKey: openSessionsKey, queryFn: () => api("/api/practice-sessions/open", OpenSessionsResponse) });
  const [discarding, setDiscarding] = useState<OpenSessionView | null>(null);
  const discard = useMutation({
    mutationFn: (sessionId: string) => api(`/api/practice-sessions/${sessionId}/discard`, null, { method: "POST" }),
    onSuccess: () => {
      setDiscarding(null);
      void client.invalidateQueries({ queryKey: openSessionsKey });
    },
  });
  if (open.isPending || open.isError || open.data.sessions.length === 0) return null;
  return (
    <section aria-labelledby="in-progress-heading" id={sessionsInProgressId}>
      <h2 id="in-progress-heading">Conversations in progress</h2>
      <ul className="in-progress-list">
        {open.data.sessions.map((session) => (
          <li key={session.sessionId} className="card in-progress">
            <span>
              <strong>{session.scenarioTitle}</strong>
              {session.assessment && <span className="badge">Assessment</span>}{" "}
              <span className="muted">
                started {new Date(session.startedAt).toLocaleString()}, {session.learnerTurns}{" "}
                {session.learnerTurns === 1 ? "message" : "messages"} from you
              </span>
            </span>
            <span className="actions">
              <Link className="button primary" to={`/sessions/${session.sessionId}`}>
                Resume<span className="visually-hidden"> {session.scenarioTitle}</span>
              </Link>
              {!session.assessment && (
                <button
                  type="button"
                  className="button subtle"
                  onClick={() => {
                    discard.reset();
                    setDiscarding(session);
                  }}
                >
                  Discard<span className="visually-hidden"> {session.scenarioTitle}</span>
                </button>
              )}
            </span>
          </li>
        ))}
      </ul>
      <ConfirmDialog
        open={discarding !== null}
        title="Discard this conversation?"
        confirmLabel="Discard"
        danger
        pending={discard.isPending}
        error={discard.error?.message}
        onConfirm={() => discarding && discard.mutate(discarding.sessionId)}
        onCancel={() => setDiscarding(null)}
      >
        <p>
          “{discarding?.scenarioTitle}” will be closed without a scorecard. Its transcript stays in your history, marked as
          discarded.
        </p>
      </ConfirmDialog>
    </section>
  );
}
