import { ScenarioDetail } from "@spar/protocol";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useParams } from "react-router";
import { z } from "zod";
import { api } from "../../api/client.ts";
import { PracticeRoom } from "./practice-room.tsx";

const DetailResponse = z.object({ scenario: ScenarioDetail });

/** The learner's brief first; the conversation starts when they are ready. */
export function PracticePage() {
  const { scenarioId = "" } = useParams();
  const [started, setStarted] = useState(false);
  const detail = useQuery({
    queryKey: ["scenario", scenarioId],
    queryFn: () => api(`/api/scenarios/${encodeURIComponent(scenarioId)}`, DetailResponse),
  });

  if (started) return <PracticeRoom scenarioId={scenarioId} />;
  if (detail.isPending) return <p className="loading">Loading…</p>;
  if (detail.isError) {
    return (
      <main className="page" id="main">
        <h1>Scenario not available</h1>
        <p className="form-error">{detail.error.message}</p>
        <Link to="/">Back to the library</Link>
      </main>
    );
  }
  const { scenario } = detail.data;
  return (
    <main className="page brief" id="main">
      <p className="muted">
        <Link to="/">Library</Link> / {scenario.title}
      </p>
      <h1>{scenario.title}</h1>
      <p className="lead">{scenario.summary}</p>
      <div className="brief-grid">
        <section className="card" aria-labelledby="brief-heading">
          <h2 id="brief-heading">Your brief</h2>
          <h3>Your role</h3>
          <p>{scenario.brief.role}</p>
          <h3>The situation</h3>
          {scenario.brief.situation.split(/\n\s*\n/).map((paragraph) => (
            <p key={paragraph.slice(0, 24)}>{paragraph}</p>
          ))}
          <h3>What a good outcome looks like</h3>
          <p>{scenario.brief.objective}</p>
        </section>
        <section className="card" aria-labelledby="about-heading">
          <h2 id="about-heading">About this practice</h2>
          <p>
            You will talk with <strong>{scenario.persona.name}</strong>, {scenario.persona.role}.
          </p>
          <p>
            About {scenario.estimatedMinutes} minutes, up to {scenario.maxTurns} of your turns. You are scored on{" "}
            <strong>{scenario.rubric.title}</strong>:
          </p>
          <ul>
            {scenario.rubric.criteria.map((criterion) => (
              <li key={criterion.id}>{criterion.title}</li>
            ))}
          </ul>
          <button type="button" className="button primary" onClick={() => setStarted(true)}>
            Start the conversation
          </button>
        </section>
      </div>
    </main>
  );
}

export function SessionPage() {
  const { sessionId = "" } = useParams();
  return <PracticeRoom key={sessionId} sessionId={sessionId} />;
}
