import { type CurrentUser, LearnerHistory } from "@spar/protocol";
import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { Link, useOutletContext, useParams } from "react-router";
import { api } from "../../api/client.ts";
import { TrendChart } from "./trend-chart.tsx";
import { slugLabel } from "../../format.ts";
import { LoadError } from "../../components/load-error.tsx";
import { ScrollRegion } from "../../components/scroll-region.tsx";

const scoringLabels: Record<string, string> = {
  pending: "Scoring…",
  claimed: "Scoring…",
  failed: "Scoring failed",
  not_needed: "In progress",
  too_short: "Not scored: too short",
  discarded: "Discarded",
  done: "",
};

/** Every session the learner has practised, and how each competency is moving. */
export function HistoryPage({ embedded = false }: { embedded?: boolean }) {
  const user = useOutletContext<CurrentUser>();
  // A manager opens a report's history at /people/:learnerId; everyone else sees their own.
  const { learnerId = user.id } = useParams();
  const own = learnerId === user.id;
  const history = useQuery({
    queryKey: ["history", learnerId],
    queryFn: () => api(`/api/learners/${learnerId}/history`, LearnerHistory),
  });
  if (history.isPending) return <p className="loading">Loading the history…</p>;
  if (history.isError) return <LoadError error={history.error} what="practice history" onRetry={() => history.refetch()} />;
  const { sessions, trends } = history.data;
  return (
    <Wrapper embedded={embedded}>
      {embedded ? (
        <h2>Practice history</h2>
      ) : (
        <h1>{own ? "Your practice history" : `${history.data.learner.name}: practice history`}</h1>
      )}
      {sessions.length === 0 ? (
        <p>
          No practice yet. <Link to="/">Pick a scenario</Link> to start.
        </p>
      ) : (
        <>
          {!embedded && (
            <section aria-labelledby="trends-heading">
              <h2 id="trends-heading">Trend by competency</h2>
              <div className="trend-grid">
                {trends.map((trend) => (
                  <TrendChart key={trend.competency} trend={trend} label={slugLabel(trend.competency)} />
                ))}
              </div>
            </section>
          )}
          <section aria-labelledby="sessions-heading">
            <h2 id="sessions-heading">Sessions</h2>
            <ScrollRegion label="Sessions">
            <table className="history-table">
              <thead>
                <tr>
                  <th scope="col">Scenario</th>
                  <th scope="col">Started</th>
                  <th scope="col">Score</th>
                  <th scope="col">Result</th>
                </tr>
              </thead>
              <tbody>
                {sessions.map((session) => (
                  <tr key={session.sessionId}>
                    <td>
                      <Link to={own ? `/sessions/${session.sessionId}` : `/review/sessions/${session.sessionId}`}>
                        {session.scenario.title}
                      </Link>
                    </td>
                    <td>{new Date(session.startedAt).toLocaleString()}</td>
                    <td>
                      {session.score ? `${session.score.overall.toFixed(1)} / 4` : scoringLabels[session.scoring]}
                    </td>
                    <td>{session.score ? (session.score.passed ? "Passed" : "Not yet") : ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            </ScrollRegion>
          </section>
        </>
      )}
    </Wrapper>
  );
}

function Wrapper({ embedded, children }: { embedded: boolean; children: ReactNode }) {
  return embedded ? (
    <section className="page">{children}</section>
  ) : (
    <main className="page" id="main">
      {children}
    </main>
  );
}
