import { TeamOverview } from "@spar/protocol";
import { useQuery } from "@tanstack/react-query";
import { Fragment, useId, useState } from "react";
import { Link } from "react-router";
import { api } from "../../api/client.ts";
import { slugLabel } from "../../format.ts";
import { LoadError } from "../../components/load-error.tsx";
import { ScrollRegion } from "../../components/scroll-region.tsx";

const ranges: [string, string][] = [
  ["", "All time"],
  ["14", "Last 2 weeks"],
  ["42", "Last 6 weeks"],
];

type SortKey = "name" | "sessions" | "lastPracticedAt" | "change" | `heat:${string}`;

/** A small line of someone's overall scores, oldest first, with the same numbers as text for screen readers. */
function Sparkline({ points }: { points: readonly number[] }) {
  if (points.length < 2) return null;
  const width = 90;
  const height = 24;
  const x = (index: number) => (index * width) / (points.length - 1);
  const y = (level: number) => height - ((level - 1) / 3) * height;
  return (
    <svg
      className="sparkline"
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={`Overall scores over time: ${points.map((point) => point.toFixed(1)).join(", ")}`}
    >
      <polyline points={points.map((point, index) => `${x(index)},${y(point)}`).join(" ")} className="trend-line" />
    </svg>
  );
}

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
      {overview.isError && <LoadError error={overview.error} what="the team overview" onRetry={() => overview.refetch()} />}
      {overview.data && <OverviewTable data={overview.data} teamName={teamName} />}
    </section>
  );
}

/** The gap map: sortable by any column, one row a person. */
function OverviewTable({ data, teamName }: { data: TeamOverview; teamName: string }) {
  const [sort, setSort] = useState<{ key: SortKey; descending: boolean }>({ key: "name", descending: false });
  const value = (member: (typeof data.members)[number]): string | number => {
    if (sort.key === "name") return member.name;
    if (sort.key === "sessions") return member.sessions;
    if (sort.key === "lastPracticedAt") return member.lastPracticedAt ?? "";
    if (sort.key === "change") return member.overall?.change ?? -99;
    return member.heat[sort.key.slice(5)]?.level ?? -99;
  };
  const members = [...data.members].sort((a, b) => {
    const [left, right] = [value(a), value(b)];
    const order =
      typeof left === "number" && typeof right === "number" ? left - right : String(left).localeCompare(String(right));
    return sort.descending ? -order : order;
  });
  const header = (key: SortKey, label: string) => (
    <th scope="col" aria-sort={sort.key === key ? (sort.descending ? "descending" : "ascending") : "none"}>
      <button
        type="button"
        className="sort-button"
        onClick={() => setSort({ key, descending: sort.key === key ? !sort.descending : key !== "name" })}
      >
        {label}
        <span aria-hidden="true">{sort.key === key ? (sort.descending ? " ▼" : " ▲") : ""}</span>
      </button>
    </th>
  );
  return (
    <ScrollRegion label={`Gap map for ${teamName}`}>
      <table className="heatmap">
        <caption className="visually-hidden">
          Practice and level per competency for {teamName}: mean level over each person's last three sessions (1 to 4)
        </caption>
        <thead>
          <tr>
            {header("name", "Person")}
            {header("sessions", "Sessions")}
            {header("lastPracticedAt", "Last practised")}
            {header("change", "Overall trend")}
            {data.competencies.map((competency) => (
              <Fragment key={competency}>{header(`heat:${competency}`, slugLabel(competency))}</Fragment>
            ))}
          </tr>
        </thead>
        <tbody>
          {members.map((member) => (
            <tr key={member.id}>
              <th scope="row">
                <Link to={`/people/${member.id}`}>{member.name}</Link>
                {member.stuck.length > 0 && (
                  <span
                    className="stuck-badge"
                    title={`No progress over ${data.stuckAfter} attempts: ${member.stuck.map(slugLabel).join(", ")}`}
                  >
                    Stuck: {member.stuck.map(slugLabel).join(", ")}
                  </span>
                )}
              </th>
              <td>{member.sessions}</td>
              <td>{member.lastPracticedAt ? new Date(member.lastPracticedAt).toLocaleDateString() : "Never"}</td>
              <td>
                <Sparkline points={member.overallPoints} />
                {member.overall
                  ? ` ${member.overall.first.toFixed(1)} → ${member.overall.last.toFixed(1)} (${member.overall.change >= 0 ? "+" : ""}${member.overall.change.toFixed(1)})`
                  : "—"}
              </td>
              {data.competencies.map((competency) => {
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
    </ScrollRegion>
  );
}
