import type { CurrentUser } from "@spar/protocol";
import { TeamSummary } from "@spar/protocol";
import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { z } from "zod";
import { api } from "../../api/client.ts";
import { roleLabels } from "../auth/sign-in-page.tsx";
import { MyAssignments } from "../assignments/my-assignments.tsx";
import { TeamAssignments } from "../assignments/team-assignments.tsx";
import { ScenarioLibrary } from "../library/scenario-library.tsx";
import { TeamOverviewPanel } from "../review/team-overview.tsx";
import { SessionsInProgress } from "./sessions-in-progress.tsx";
import { LoadError } from "../../components/load-error.tsx";

const TeamsResponse = z.object({ teams: z.array(TeamSummary) });

/** A fresh install's first admin: where to bring the organisation in. */
function GettingStarted() {
  return (
    <div className="card getting-started">
      <p>
        <strong>No teams yet.</strong> Bring your organisation in:
      </p>
      <ul>
        <li>
          <Link to="/admin/people">Add people</Link> one at a time; each gets an invitation link to choose a password.
        </li>
        <li>
          <Link to="/admin/people/import">Import a CSV file</Link> of everyone at once, teams included.
        </li>
        <li>
          <Link to="/admin/teams">Create teams</Link> and give each one its managers.
        </li>
      </ul>
    </div>
  );
}

function Teams({ user }: { user: CurrentUser }) {
  const teams = useQuery({ queryKey: ["teams"], queryFn: () => api("/api/teams", TeamsResponse) });
  if (teams.isPending) return <p className="loading">Loading teams…</p>;
  if (teams.isError) return <LoadError error={teams.error} what="teams" onRetry={() => teams.refetch()} />;
  return (
    <section aria-labelledby="teams-heading">
      <h2 id="teams-heading">{user.role === "manager" ? "Your teams" : "Teams"}</h2>
      {teams.data.teams.length === 0 && (user.role === "ld_admin" ? <GettingStarted /> : <p>No teams yet.</p>)}
      {user.role === "manager" &&
        teams.data.teams.map((team) => (
          <div key={team.id}>
            <TeamOverviewPanel teamId={team.id} teamName={team.name} />
            <TeamAssignments team={team} />
          </div>
        ))}
      {user.role !== "manager" && (
        <div className="team-grid">
          {teams.data.teams.map((team) => (
            <article key={team.id} className="card">
              <h3>{team.name}</h3>
              <p className="muted">
                Managed by {team.managers.map((manager) => manager.name).join(", ") || "nobody yet"}
              </p>
              <ul className="plain-list">
                {team.members.map((member) => (
                  <li key={member.id}>{member.name}</li>
                ))}
              </ul>
            </article>
          ))}
        </div>
      )}
    </section>
  );
}

export function HomePage({ user }: { user: CurrentUser }) {
  return (
    // A manager's gap map has a column per competency: their home takes the width a desktop offers.
    <main className={user.role === "manager" ? "page wide" : "page"} id="main">
      <h1>Hello, {user.name.split(" ")[0]}</h1>
      <p className="lead">
        Signed in as {roleLabels[user.role]} ({user.email}).
      </p>
      <SessionsInProgress />
      {user.role !== "learner" && <Teams user={user} />}
      <MyAssignments />
      <ScenarioLibrary />
    </main>
  );
}
