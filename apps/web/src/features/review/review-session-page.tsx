import { PracticeSessionView, ScorecardView, TurnComments } from "@spar/protocol";
import { useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { Link, useParams } from "react-router";
import { z } from "zod";
import { api } from "../../api/client.ts";
import { useCurrentUser } from "../auth/auth-queries.ts";
import { Transcript } from "../practice/transcript.tsx";
import { ScorecardPanel } from "../scorecard/scorecard-panel.tsx";
import { AdjustLevel } from "./adjust-level.tsx";
import { commentsKey, TurnCommentThread } from "./turn-comment-thread.tsx";
import { LoadError } from "../../components/load-error.tsx";

/**
 * A report's session for their manager (every read is on the audit log): the transcript with
 * comments under its turns, and the scorecard, whose levels the manager may adjust with a reason.
 */
export function ReviewSessionPage() {
  const { sessionId = "" } = useParams();
  const viewer = useCurrentUser();
  const session = useQuery({
    queryKey: ["session", sessionId],
    queryFn: () => api(`/api/practice-sessions/${sessionId}`, z.object({ session: PracticeSessionView })),
  });
  const scorecards = useQuery({
    queryKey: ["scorecards", sessionId],
    queryFn: () =>
      api(`/api/practice-sessions/${sessionId}/scorecards`, z.object({ scorecards: z.array(ScorecardView) })),
  });
  const comments = useQuery({
    queryKey: commentsKey(sessionId),
    queryFn: () => api(`/api/practice-sessions/${sessionId}/comments`, TurnComments),
  });
  const [selected, setSelected] = useState<string | null>(null);
  const scorecard = scorecards.data?.scorecards[0] ?? null;
  const highlights = useMemo(() => {
    const map = new Map<number, string[]>();
    for (const item of scorecard?.criteria.find((criterion) => criterion.criterionId === selected)?.evidence ?? []) {
      map.set(item.turn, [...(map.get(item.turn) ?? []), item.quote]);
    }
    return map;
  }, [scorecard, selected]);
  if (session.isPending) return <p className="loading">Loading…</p>;
  if (session.isError) return <LoadError error={session.error} what="practice session" onRetry={() => session.refetch()} />;
  const view = session.data.session;
  // The server decides for real; this only spares the learner controls that would be refused.
  const reviews = viewer.data?.role === "manager" && viewer.data.id !== view.learner.id;
  return (
    <main className="page practice" id="main">
      <p className="muted">
        <Link to={`/people/${view.learner.id}`}>{view.learner.name}</Link> / {view.scenario.title}
      </p>
      <h1>
        {view.learner.name}: {view.scenario.title}
      </h1>
      <p className="muted">
        {new Date(view.startedAt).toLocaleString()} ·{" "}
        {view.engine === "offline" ? "Offline engine" : `AI model: ${view.model}`} · scenario v{view.scenario.version}
      </p>
      <div className={scorecard ? "practice-body with-scorecard" : "practice-body"}>
        <Transcript
          sessionId={view.id}
          turns={view.turns}
          personaName={view.persona.name}
          learnerName={view.learner.name}
          highlights={highlights}
          afterTurn={(turn) => (
            <TurnCommentThread
              sessionId={view.id}
              turn={turn.seq}
              comments={comments.data?.comments.filter((comment) => comment.turn === turn.seq) ?? []}
              canComment={reviews}
            />
          )}
        />
        {scorecard && (
          <ScorecardPanel
            scorecard={scorecard}
            selected={selected}
            onSelect={setSelected}
            heading={`${view.learner.name}'s scorecard`}
            learnerName={view.learner.name.split(" ")[0]}
            turns={view.turns}
            criterionActions={reviews ? (criterion) => <AdjustLevel scorecard={scorecard} criterion={criterion} /> : undefined}
          />
        )}
      </div>
    </main>
  );
}
