import { TeamOverview } from "@spar/protocol";
import { useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { Link } from "react-router";
import { api } from "../../api/client.ts";

const title = (slug: string) => slug.replace(/-/g, " ").replace(/^\w/, (letter) => letter.toUpperCase());
const ranges: [string, string][] = [
  ["", "All time"],
  ["14", "Last 2 weeks"],
  ["42", "Last 6 weeks"],
];

function heatClass(level: number): string {
  if (level < 2) return "heat heat-1";
  if (level < 2.75) return "heat heat-2";
  if (level < 3.5) return "heat heat-3";
  return "heat heat-4";
}

/** A team at a glance before the one-to-ones: who practises, who improves, where the gaps are. */
export function TeamOverviewPanel({ teamId, teamName }: { teamId: string; teamName: string }) {
  const [days, setDays] = useState("");
  const [stuckAfter, setStuckAfter] = useState(3);
  const rangeId = useId();
  const stuckId = useId();
  const from = days ? new Date(Date.now() - Number(days) * 86_400_000).toISOString() : null;
  const query = new URLSearchParams({ stuckAfter: String(stuckAfter), ...(from ? { from } : {}) });
  const overview = useQuery({
    queryKey: ["team-overview", teamId, days, stuckAfter],
    queryFn: () => api(`/api/teams/${teamId}/overview?${query.toString()}`, TeamOverview),
  });

  return (
    <section className="card team-overview" aria-labelledby={`team-${teamId}`}>
      <h3 id={`team-${teamId}`}>{teamName}</h3>
      <div className="filters">
        <div className="filter">
          <label htmlFor={rangeId}>Period</label>
          <select id={rangeId} value={days} onChange={(event) => setDays(event.target.value)}>
            {ranges.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div className="filter">
          <label htmlFor={stuckId}>Flag as stuck after</label>
          <select id={stuckId} value={stuckAfter} onChange={(event) => setStuckAfter(Number(event.target.value))}>
            {[2, 3, 4, 5].map((count) => (
              <option key={count} value={count}>
                {count} attempts without progress
              </option>
            ))}
          </select>
        </div>
      </div>
      {overview.isPending && <p className="loading">Loading…</p>}
      {overview.isError && <p className="form-error">{overview.error.message}</p>}
      {overview.data && (
        <div className="table-scroll">
          <table className="heatmap">
            <caption className="visually-hidden">
              Practice and level per competency for {teamName}: mean level over each person's last three sessions (1 to
              4)
            </caption>
            <thead>
              <tr>
                <th scope="col">Person</th>
                <th scope="col">Sessions</th>
                <th scope="col">Last practised</th>
                <th scope="col">Overall trend</th>
                {overview.data.competencies.map((competency) => (
                  <th scope="col" key={competency}>
                    {title(competency)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {overview.data.members.map((member) => (
                <tr key={member.id}>
                  <th scope="row">
                    <Link to={`/people/${member.id}`}>{member.name}</Link>
                    {member.stuck.length > 0 && (
                      <span
                        className="stuck-badge"
                        title={`No progress over ${overview.data.stuckAfter} attempts: ${member.stuck.map(title).join(", ")}`}
                      >
                        Stuck: {member.stuck.map(title).join(", ")}
                      </span>
                    )}
                  </th>
                  <td>{member.sessions}</td>
                  <td>{member.lastPracticedAt ? new Date(member.lastPracticedAt).toLocaleDateString() : "Never"}</td>
                  <td>
                    {member.overall
                      ? `${member.overall.first.toFixed(1)} → ${member.overall.last.toFixed(1)} (${member.overall.change >= 0 ? "+" : ""}${member.overall.change.toFixed(1)})`
                      : "—"}
                  </td>
                  {overview.data.competencies.map((competency) => {
                    const cell = member.heat[competency];
                    return (
                      <td key={competency} className={cell ? heatClass(cell.level) : "heat heat-none"}>
                        {cell ? `${cell.level.toFixed(1)} (${cell.attempts})` : "—"}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
