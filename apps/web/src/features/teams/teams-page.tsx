import { type NewTeamRequest, type TeamDetail, TeamDetail as TeamSchema, type UpdateTeamRequest } from "@spar/protocol";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Link } from "react-router";
import { z } from "zod";
import { ApiError, api } from "../../api/client.ts";
import { ConfirmDialog } from "../../components/confirm-dialog.tsx";
import { Field, issuesByField } from "../../components/field.tsx";
import { peopleKeys, useAdminTeams, useManagers } from "../people/people-queries.ts";
import { ManagerChoice } from "./manager-choice.tsx";
import { LoadError } from "../../components/load-error.tsx";

const TeamResponse = z.object({ team: TeamSchema });

function useTeamsChanged() {
  const client = useQueryClient();
  return async () => {
    await client.invalidateQueries({ queryKey: peopleKeys.teams });
    await client.invalidateQueries({ queryKey: peopleKeys.all });
    await client.invalidateQueries({ queryKey: ["teams"] });
  };
}

/** The name and managers of a team, for creating one or changing one. */
function TeamForm({
  initial,
  submitLabel,
  pending,
  error,
  onSubmit,
  onCancel,
}: {
  initial: { name: string; managerIds: string[] };
  submitLabel: string;
  pending: boolean;
  error: Error | null;
  onSubmit: (team: { name: string; managerIds: string[] }) => void;
  onCancel?: () => void;
}) {
  const managers = useManagers();
  const [name, setName] = useState(initial.name);
  const [managerIds, setManagerIds] = useState(initial.managerIds);
  const apiError = error instanceof ApiError ? error : null;
  const fieldErrors = issuesByField(apiError?.issues ?? []);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit({ name, managerIds });
  };
  return (
    <form onSubmit={submit} noValidate className="team-form">
      <Field
        label="Team name"
        name="name"
        autoComplete="off"
        value={name}
        onChange={setName}
        error={fieldErrors.name}
      />
      <ManagerChoice
        managers={managers.data ?? []}
        chosen={managerIds}
        onChange={setManagerIds}
        error={fieldErrors.managerIds}
      />
      {error && !apiError?.issues.length && (
        <p className="form-error" role="alert">
          {error.message}
        </p>
      )}
      <div className="button-row">
        <button type="submit" className="button primary" disabled={pending}>
          {submitLabel}
        </button>
        {onCancel && (
          <button type="button" className="button subtle" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}

function NewTeam() {
  const changed = useTeamsChanged();
  const [formKey, setFormKey] = useState(0);
  const create = useMutation({
    mutationFn: (body: NewTeamRequest) => api("/api/teams", TeamResponse, { method: "POST", body }),
    onSuccess: async () => {
      setFormKey((key) => key + 1);
      await changed();
    },
  });
  return (
    <section className="card" aria-labelledby="new-team-heading">
      <h2 id="new-team-heading">Create a team</h2>
      <TeamForm
        key={formKey}
        initial={{ name: "", managerIds: [] }}
        submitLabel={create.isPending ? "Creating…" : "Create team"}
        pending={create.isPending}
        error={create.error}
        onSubmit={(team) => create.mutate(team)}
      />
      {create.data && (
        <p className="notice success" role="status">
          Created {create.data.team.name}.
        </p>
      )}
    </section>
  );
}

function TeamCard({ team }: { team: TeamDetail }) {
  const changed = useTeamsChanged();
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const update = useMutation({
    mutationFn: (body: UpdateTeamRequest) => api(`/api/teams/${team.id}`, TeamResponse, { method: "PATCH", body }),
    onSuccess: async () => {
      setEditing(false);
      await changed();
    },
  });
  const remove = useMutation({
    mutationFn: () => api(`/api/teams/${team.id}`, null, { method: "DELETE" }),
    onSuccess: async () => {
      setDeleting(false);
      await changed();
    },
  });
  const managerNames = team.managers.map((manager) => manager.name).join(", ");
  return (
    <li className="card team-card">
      <h3>
        {team.name}
        {team.isDemo && <span className="tag">demo</span>}
      </h3>
      <p>
        {team.memberCount === 1 ? "1 member" : `${team.memberCount} members`} ·{" "}
        {managerNames ? `Managed by ${managerNames}` : "No manager yet"}
      </p>
      {editing ? (
        <TeamForm
          initial={{ name: team.name, managerIds: team.managers.map((manager) => manager.id) }}
          submitLabel={update.isPending ? "Saving…" : "Save"}
          pending={update.isPending}
          error={update.error}
          onSubmit={(change) => update.mutate(change)}
          onCancel={() => {
            update.reset();
            setEditing(false);
          }}
        />
      ) : (
        <div className="button-row">
          <button type="button" className="button" onClick={() => setEditing(true)} aria-label={`Change ${team.name}`}>
            Change
          </button>
          <button
            type="button"
            className="button danger"
            onClick={() => setDeleting(true)}
            aria-label={`Delete ${team.name}`}
          >
            Delete
          </button>
        </div>
      )}
      <ConfirmDialog
        open={deleting}
        title={`Delete ${team.name}?`}
        confirmLabel="Delete team"
        danger
        pending={remove.isPending}
        error={remove.error?.message}
        onConfirm={() => remove.mutate()}
        onCancel={() => setDeleting(false)}
      >
        <p>
          Its {team.memberCount === 1 ? "member stays" : `${team.memberCount} members stay`} in Spar without a team,
          with all their practice. Their managers no longer see them until they join another team.
        </p>
      </ConfirmDialog>
    </li>
  );
}

/** For L&D admins: teams, who manages them and how many practise in each. */
export function TeamsPage() {
  const teams = useAdminTeams();
  return (
    <main className="page admin-page" id="main">
      <h1>Teams</h1>
      <p className="lead">
        A team's managers see its members' practice before their one-to-ones. Put people in a team from the{" "}
        <Link to="/admin/people">People</Link> page or with a <Link to="/admin/people/import">CSV import</Link>.
      </p>
      <NewTeam />
      <section aria-labelledby="teams-list-heading">
        <h2 id="teams-list-heading">All teams</h2>
        {teams.isPending && <p className="loading">Loading teams…</p>}
        {teams.isError && <LoadError error={teams.error} what="teams" onRetry={() => teams.refetch()} />}
        {teams.data?.length === 0 && <p>No teams yet.</p>}
        <ul className="team-list">
          {teams.data?.map((team) => (
            <TeamCard key={team.id} team={team} />
          ))}
        </ul>
      </section>
    </main>
  );
}
