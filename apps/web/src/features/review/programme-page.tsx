import { ProgrammeView } from "@spar/protocol";
import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { api } from "../../api/client.ts";
import { slugLabel } from "../../format.ts";
import { FailedScoring } from "../scoring/failed-scoring.tsx";
import { RubricRescore } from "../scoring/rubric-rescore.tsx";
import { LoadError } from "../../components/load-error.tsx";
import { BarChart } from "../../components/charts/bar-chart.tsx";
import { ScrollRegion } from "../../components/scroll-region.tsx";

const percent = (value: number | null) => (value === null ? "—" : `${Math.round(value * 100)}%`);
const level = (value: number) => value.toFixed(1);
const signed = (value: number) => `${value >= 0 ? "+" : ""}${value.toFixed(1)}`;
const shareRange = [0, 1] as const;
const shareTicks = [0, 0.25, 0.5, 0.75, 1] as const;
const levelRange = [1, 4] as const;
const levelTicks = [1, 2, 3, 4] as const;
const groupNames = { "practise-more": "Practise more", "practise-less": "Practise less" } as const;

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

type WeakCriterion = Extract<ProgrammeView["weakCriteria"], { suppressed: false }>["criteria"][number];

/** The share of scores at level 1 or 2 per criterion as bars, the full table behind them. */
function WeakCriteria({ criteria, suppressedNote }: { criteria: WeakCriterion[]; suppressedNote: string }) {
  const shown = useMemo(() => criteria.flatMap((row) => (row.suppressed ? [] : [row])), [criteria]);
  const categories = useMemo(() => shown.map((row) => slugLabel(row.criterionId)), [shown]);
  const series = useMemo(() => [{ name: "Scored at level 1–2", values: shown.map((row) => row.weakShare) }], [shown]);
  const table = (
    <ScrollRegion label="Most common weak criteria">
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
          {criteria.map((row) =>
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
    </ScrollRegion>
  );
  if (shown.length === 0) return table;
  return (
    <BarChart
      label="Share of scores at level 1 or 2, per criterion"
      caption={<span className="muted">Share of scores at level 1 or 2; the longest bar is the most common weakness.</span>}
      categories={categories}
      series={series}
      range={shareRange}
      ticks={shareTicks}
      formatValue={percent}
      table={table}
    />
  );
}

/** Each group's overall level at first and at latest as paired bars, with a table behind them. */
function Movement({ groups, suppressedNote }: { groups: ProgrammeView["movement"]; suppressedNote: string }) {
  const shown = useMemo(() => groups.flatMap((group) => (group.suppressed ? [] : [group])), [groups]);
  const categories = useMemo(() => shown.map((group) => `${groupNames[group.group]} (${signed(group.change)})`), [shown]);
  const series = useMemo(
    () => [
      { name: "First", values: shown.map((group) => group.firstOverall) },
      { name: "Latest", values: shown.map((group) => group.lastOverall) },
    ],
    [shown],
  );
  const table = (
    <ScrollRegion label="Score movement">
      <table className="history-table">
        <thead>
          <tr>
            <th scope="col">Group</th>
            <th scope="col">People</th>
            <th scope="col">First overall</th>
            <th scope="col">Latest overall</th>
            <th scope="col">Change</th>
          </tr>
        </thead>
        <tbody>
          {groups.map((group) =>
            group.suppressed ? (
              <tr key={group.group}>
                <th scope="row">{groupNames[group.group]}</th>
                <td colSpan={4} className="muted">
                  {suppressedNote}
                </td>
              </tr>
            ) : (
              <tr key={group.group}>
                <th scope="row">{groupNames[group.group]}</th>
                <td>{group.people}</td>
                <td>{level(group.firstOverall)}</td>
                <td>{level(group.lastOverall)}</td>
                <td>{signed(group.change)}</td>
              </tr>
            ),
          )}
        </tbody>
      </table>
    </ScrollRegion>
  );
  if (shown.length === 0) return table;
  return (
    <BarChart
      label="Overall level at first and latest, per group"
      caption={<span className="muted">Overall level (1 to 4) at each person's first and latest sessions.</span>}
      categories={categories}
      series={series}
      range={levelRange}
      ticks={levelTicks}
      formatValue={level}
      table={table}
    />
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
        <ScrollRegion label="Practice by team">
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
        </ScrollRegion>
        <Csv table="teams" />
      </section>

      <section className="card" aria-labelledby="weak-table">
        <h2 id="weak-table">Most common weak criteria</h2>
        {view.weakCriteria.suppressed ? (
          <p className="muted">{suppressedNote}</p>
        ) : (
          <WeakCriteria criteria={view.weakCriteria.criteria} suppressedNote={suppressedNote} />
        )}
        <Csv table="weak-criteria" />
      </section>

      <section className="card" aria-labelledby="movement-table">
        <h2 id="movement-table">Score movement: practising more against practising less</h2>
        <Movement groups={view.movement} suppressedNote={suppressedNote} />
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
          <ScrollRegion label="Managers' adjustments to the scorer">
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
          </ScrollRegion>
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
