import { type CurrentUser, PersonBriefView } from "@spar/protocol";
import { useQuery } from "@tanstack/react-query";
import { Link, useOutletContext, useParams } from "react-router";
import { api } from "../../api/client.ts";
import { HistoryPage } from "../history/history-page.tsx";
import { TrendChart } from "../history/trend-chart.tsx";
import { ObservationsPanel, OneToOnePanel } from "./one-to-one-panel.tsx";
import { slugLabel } from "../../format.ts";
import { LoadError } from "../../components/load-error.tsx";

const readinessLabels = { ready: "Ready", nearly: "Nearly ready", "not-yet": "Not yet" } as const;

/** The one-to-one brief: where the person stands, the evidence behind it, and what to ask. */
export function PersonBriefPage() {
  const { learnerId = "" } = useParams();
  const viewer = useOutletContext<CurrentUser>();
  const brief = useQuery({
    queryKey: ["brief", learnerId],
    queryFn: () => api(`/api/people/${learnerId}/brief`, PersonBriefView),
  });
  if (brief.isPending) return <p className="loading">Loading the brief…</p>;
  if (brief.isError) return <LoadError error={brief.error} what="person's brief" onRetry={() => brief.refetch()} />;
  const data = brief.data;
  const byId = new Map(data.criteria.map((criterion) => [criterion.criterionId, criterion]));
  const spotlight = (ids: string[], heading: string) => (
    <section className="card" aria-labelledby={`${heading}-heading`}>
      <h2 id={`${heading}-heading`}>{heading === "strongest" ? "Strongest" : "Weakest"}</h2>
      {ids.map((id) => {
        const criterion = byId.get(id);
        if (!criterion) return null;
        // The weakest quote what held them back; quoting their best line there would mislead.
        const quoted = heading === "weakest" ? criterion.counterEvidence : criterion.evidence;
        return (
          <div key={id} className="spotlight">
            <p>
              <strong>{criterion.title}</strong> ({slugLabel(criterion.competency)}): mean level{" "}
              {criterion.meanLevel.toFixed(1)} over {criterion.attempts} session{criterion.attempts === 1 ? "" : "s"}
            </p>
            {quoted && (
              <blockquote>
                “{quoted.quote}”
                <footer>
                  {quoted.scenarioTitle}, turn {quoted.turn}.{" "}
                  <Link to={`/review/sessions/${quoted.sessionId}`}>Read the transcript</Link>
                </footer>
              </blockquote>
            )}
            {!quoted && heading === "weakest" && (
              <p className="muted">No quote counted against this criterion in these sessions: read a transcript to see what held it back.</p>
            )}
          </div>
        );
      })}
    </section>
  );

  return (
    <>
      <main className="page brief-page" id="main">
        <p className="muted">
          <Link to="/">Team</Link> / {data.learner.name}
        </p>
        <h1>One-to-one brief: {data.learner.name}</h1>
        <p className="lead">
          From the last {data.recentSessions} scored practice session{data.recentSessions === 1 ? "" : "s"}.
          {data.stuck.length > 0 && <span className="stuck-badge">Stuck: {data.stuck.map(slugLabel).join(", ")}</span>}
        </p>
        <div className="brief-grid">
          <div>
            {spotlight(data.weakest, "weakest")}
            {spotlight(data.strongest, "strongest")}
          </div>
          <div>
            <section className="card" aria-labelledby="questions-heading">
              <h2 id="questions-heading">Questions to ask</h2>
              <ul>
                {data.questions.map((item) => (
                  <li key={item.question}>{item.question}</li>
                ))}
              </ul>
            </section>
            <section className="card" aria-labelledby="readiness-heading">
              <h2 id="readiness-heading">Readiness</h2>
              {data.readiness.length === 0 ? (
                <p>No scored practice yet.</p>
              ) : (
                <ul className="plain-list">
                  {data.readiness.map((item) => (
                    <li key={item.competency}>
                      {slugLabel(item.competency)}:{" "}
                      <strong className={`readiness readiness-${item.label}`}>{readinessLabels[item.label]}</strong> (
                      {item.score.toFixed(1)} from {item.sessions} session{item.sessions === 1 ? "" : "s"})
                    </li>
                  ))}
                </ul>
              )}
              <p className="field-hint">{data.readinessExplanation}</p>
              {data.assessments.length > 0 && (
                <>
                  <h3>Assessments</h3>
                  <ul className="plain-list">
                    {data.assessments.map((assessment) => (
                      <li key={assessment.scenarioId}>
                        {assessment.title}: <strong>{assessment.certified ? "Certified" : "Not certified"}</strong>
                        {assessment.best !== null ? `, best ${assessment.best.toFixed(1)}` : ""},{" "}
                        {assessment.attemptsUsed} of {assessment.maxAttempts} attempts used
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </section>
            <section className="card" aria-labelledby="open-heading">
              <h2 id="open-heading">Open assignments</h2>
              {data.openAssignments.length === 0 ? (
                <p>None.</p>
              ) : (
                <ul>
                  {data.openAssignments.map((assignment) => (
                    <li key={assignment.id}>
                      {assignment.scenarioTitle}
                      {assignment.dueAt ? `, due ${new Date(assignment.dueAt).toLocaleDateString()}` : ""}
                      {assignment.overdue && <span className="overdue-badge">Overdue</span>}
                    </li>
                  ))}
                </ul>
              )}
            </section>
          </div>
        </div>
        <div className="brief-grid">
          <OneToOnePanel brief={data} viewer={viewer} />
          <ObservationsPanel brief={data} viewer={viewer} />
        </div>
        <section aria-labelledby="brief-trends-heading">
          <h2 id="brief-trends-heading">Trend by competency</h2>
          <div className="trend-grid">
            {data.trends.map((trend) => (
              <TrendChart key={trend.competency} trend={trend} label={slugLabel(trend.competency)} />
            ))}
          </div>
        </section>
      </main>
      <HistoryPage embedded />
    </>
  );
}
