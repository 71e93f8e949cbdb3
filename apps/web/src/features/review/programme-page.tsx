import { ProgrammeView } from "@spar/protocol";
import { useQuery } from "@tanstack/react-query";
import { api } from "../../api/client.ts";
import { slugLabel } from "../../format.ts";
import { FailedScoring } from "../scoring/failed-scoring.tsx";
import { RubricRescore } from "../scoring/rubric-rescore.tsx";
import { LoadError } from "../../components/load-error.tsx";

const percent = (value: number | null) => (value === null ? "—" : `${Math.round(value * 100)}%`);

/** A figure withheld on its own because it rests on fewer people than the minimum group. */
function Figure({ value, format = String }: { value: number | null | "suppressed"; format?: (value: number | null) => string }) {
  if (value === "suppressed") {
    return <span className="muted" title="Rests on too few people: hidden to protect individuals.">hidden</span>;
  }
  return <>{format(value)}</>;
}

function Csv({ table }: { table: string }) {
  return (
    <a className="csv-link" href={`/api/programme/${table}.csv`} download>
      Download CSV
    </a>
  );
}

/** For L&D: how the programme is going, in aggregates over groups of at least five. */
export function ProgrammePage() {
  const programme = useQuery({ queryKey: ["programme"], queryFn: () => api("/api/programme", ProgrammeView) });
  if (programme.isPending) return <p className="loading">Loading the programme…</p>;
  if (programme.isError) return <LoadError error={programme.error} what="the programme view" onRetry={() => programme.refetch()} />;
  const view = programme.data;
  const suppressedNote = `Fewer than ${view.minimumGroupSize} people: hidden to protect individuals.`;
  return (
    <main className="page" id="main">
      <h1>Programme</h1>
      <p className="lead">
        Aggregates only. Any group under {view.minimumGroupSize} people is suppressed, and no transcript is reachable
        from here.
      </p>

      <section className="card" aria-labelledby="teams-table">
        <h2 id="teams-table">Practice by team</h2>
        <table className="history-table">
          <thead>
            <tr>
              <th scope="col">Team</th>
              <th scope="col">People</th>
              <th scope="col">Sessions</th>
              <th scope="col">Practising</th>
              <th scope="col">Assignments done</th>
            </tr>
          </thead>
          <tbody>
            {view.teams.map((team) =>
              team.suppressed ? (
                <tr key={team.team}>
                  <th scope="row">{team.team}</th>
                  <td colSpan={4} className="muted">
                    {suppressedNote}
                  </td>
                </tr>
              ) : (
                <tr key={team.team}>
                  <th scope="row">{team.team}</th>
                  <td>{team.people}</td>
                  <td>
                    <Figure value={team.sessions} />
                  </td>
                  <td>{team.activeLearners}</td>
                  <td>
                    <Figure value={team.assignmentCompletion} format={percent} />
                  </td>
                </tr>
              ),
            )}
          </tbody>
        </table>
        <Csv table="teams" />
      </section>

      <section className="card" aria-labelledby="weak-table">
        <h2 id="weak-table">Most common weak criteria</h2>
        {view.weakCriteria.suppressed ? (
          <p className="muted">{suppressedNote}</p>
        ) : (
          <table className="history-table">
            <thead>
              <tr>
                <th scope="col">Criterion</th>
                <th scope="col">Competency</th>
                <th scope="col">Scored at level 1–2</th>
                <th scope="col">Times scored</th>
              </tr>
            </thead>
            <tbody>
              {view.weakCriteria.criteria.map((row) =>
                row.suppressed ? (
                  <tr key={row.criterionId}>
                    <th scope="row">{slugLabel(row.criterionId)}</th>
                    <td>{slugLabel(row.competency)}</td>
                    <td colSpan={2} className="muted">
                      {suppressedNote}
                    </td>
                  </tr>
                ) : (
                  <tr key={row.criterionId}>
                    <th scope="row">{slugLabel(row.criterionId)}</th>
                    <td>{slugLabel(row.competency)}</td>
                    <td>{percent(row.weakShare)}</td>
                    <td>{row.scored}</td>
                  </tr>
                ),
              )}
            </tbody>
          </table>
        )}
        <Csv table="weak-criteria" />
      </section>

      <section className="card" aria-labelledby="movement-table">
        <h2 id="movement-table">Score movement: practising more against practising less</h2>
        <ul>
          {view.movement.map((group) => (
            <li key={group.group}>
              <strong>{group.group === "practise-more" ? "Practise more" : "Practise less"}:</strong>{" "}
              {group.suppressed
                ? suppressedNote
                : `${group.people} people, overall ${group.firstOverall.toFixed(1)} → ${group.lastOverall.toFixed(1)} (${group.change >= 0 ? "+" : ""}${group.change.toFixed(1)})`}
            </li>
          ))}
        </ul>
        <Csv table="movement" />
      </section>

      <section className="card" aria-labelledby="assessments-table">
        <h2 id="assessments-table">Assessments</h2>
        {view.assessments.length === 0 ? (
          <p>No scenario is marked as an assessment.</p>
        ) : (
          <ul>
            {view.assessments.map((row) => (
              <li key={row.scenario}>
                <strong>{row.scenario}:</strong>{" "}
                {row.suppressed
                  ? suppressedNote
                  : `${row.certified} of ${row.people} people who attempted it are certified`}
              </li>
            ))}
          </ul>
        )}
        <Csv table="assessments" />
      </section>

      <section className="card" aria-labelledby="overrides-table">
        <h2 id="overrides-table">Managers' adjustments to the scorer</h2>
        <p className="muted">
          How often managers set a criterion to another level than the scorer gave, and which way: where the scorer
          drifts from the people who know the learners.
        </p>
        {view.overrides.length === 0 ? (
          <p>No scored sessions yet.</p>
        ) : (
          <div className="table-scroll">
            <table className="history-table">
              <thead>
                <tr>
                  <th scope="col">Rubric</th>
                  <th scope="col">Criterion</th>
                  <th scope="col">Scored</th>
                  <th scope="col">Adjusted</th>
                  <th scope="col">Up</th>
                  <th scope="col">Down</th>
                  <th scope="col">Mean change</th>
                </tr>
              </thead>
              <tbody>
                {view.overrides.map((row) =>
                  row.suppressed ? (
                    <tr key={`${row.rubricId}/${row.criterionId}`}>
                      <td>{slugLabel(row.rubricId)}</td>
                      <th scope="row">{slugLabel(row.criterionId)}</th>
                      <td colSpan={5} className="muted">
                        {suppressedNote}
                      </td>
                    </tr>
                  ) : (
                    <tr key={`${row.rubricId}/${row.criterionId}`}>
                      <td>{slugLabel(row.rubricId)}</td>
                      <th scope="row">{slugLabel(row.criterionId)}</th>
                      <td>{row.scored}</td>
                      <td>
                        {row.overridden} ({percent(row.scored === 0 ? null : row.overridden / row.scored)})
                      </td>
                      <td>{row.up}</td>
                      <td>{row.down}</td>
                      <td>{row.meanChange === null ? "—" : `${row.meanChange > 0 ? "+" : ""}${row.meanChange.toFixed(2)}`}</td>
                    </tr>
                  ),
                )}
              </tbody>
            </table>
          </div>
        )}
        <Csv table="overrides" />
      </section>

      <section className="card" aria-labelledby="calibration-table">
        <h2 id="calibration-table">Scorer calibration per scenario</h2>
        {view.calibration.length === 0 ? (
          <p>
            No calibration run yet: run <code>pnpm spar scenarios calibrate</code>.
          </p>
        ) : (
          <ul>
            {view.calibration.map((run) => (
              <li key={run.scenarioId}>
                {slugLabel(run.scenarioId)}: {run.passed ? "passes" : "fails"} (exact {percent(run.exactAgreement)},
                within one {percent(run.withinOneAgreement)})
              </li>
            ))}
          </ul>
        )}
        <Csv table="calibration" />
      </section>

      <FailedScoring />
      <RubricRescore />
    </main>
  );
}
