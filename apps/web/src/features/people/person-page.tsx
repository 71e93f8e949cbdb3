import { AccountLink, type EraseReport, Person, type Role, type UpdatePersonRequest } from "@spar/protocol";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useState } from "react";
import { Link, useParams } from "react-router";
import { z } from "zod";
import { ApiError, api } from "../../api/client.ts";
import { AccountLinkResult } from "../../components/account-link-result.tsx";
import { ConfirmDialog } from "../../components/confirm-dialog.tsx";
import { Field, issuesByField } from "../../components/field.tsx";
import { roleLabels } from "../auth/sign-in-page.tsx";
import { ErasePersonDialog } from "./erase-person-dialog.tsx";
import { peopleKeys, statusLabels, usePerson } from "./people-queries.ts";
import { RoleAndTeamFields } from "./role-and-team-fields.tsx";

const PersonResponse = z.object({ person: Person });

function usePersonUpdate(person: Person) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (change: UpdatePersonRequest) =>
      api(`/api/people/${person.id}`, PersonResponse, { method: "PATCH", body: change }),
    onSuccess: async ({ person: updated }) => {
      client.setQueryData(peopleKeys.person(person.id), updated);
      await client.invalidateQueries({ queryKey: peopleKeys.all });
      await client.invalidateQueries({ queryKey: peopleKeys.teams });
    },
  });
}

function DetailsForm({ person }: { person: Person }) {
  const update = usePersonUpdate(person);
  const [name, setName] = useState(person.name);
  const [role, setRole] = useState<Role>(person.role);
  const [teamId, setTeamId] = useState(person.team?.id ?? "");
  useEffect(() => {
    setName(person.name);
    setRole(person.role);
    setTeamId(person.team?.id ?? "");
  }, [person]);
  const change: UpdatePersonRequest = {
    ...(name.trim() !== person.name ? { name } : {}),
    ...(role !== person.role ? { role } : {}),
    ...((teamId || null) !== (person.team?.id ?? null) ? { teamId: teamId || null } : {}),
  };
  const unchanged = Object.keys(change).length === 0;
  const error = update.error instanceof ApiError ? update.error : null;
  const fieldErrors = issuesByField(error?.issues ?? []);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!unchanged) update.mutate(change);
  };
  return (
    <section className="card" aria-labelledby="details-heading">
      <h2 id="details-heading">Details</h2>
      <form onSubmit={submit} noValidate className="form-grid">
        <Field label="Name" name="name" autoComplete="off" value={name} onChange={setName} error={fieldErrors.name} />
        <RoleAndTeamFields
          role={role}
          onRoleChange={setRole}
          teamId={teamId}
          onTeamChange={setTeamId}
          errors={fieldErrors}
        />
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={update.isPending || unchanged}>
            {update.isPending ? "Saving…" : "Save changes"}
          </button>
        </div>
      </form>
      {error && !error.issues.length && (
        <p className="form-error" role="alert">
          {error.message}
        </p>
      )}
      {update.isSuccess && unchanged && (
        <p className="notice success" role="status">
          Saved.
        </p>
      )}
      {person.manages.length > 0 && (
        <p className="muted">Manages {person.manages.map((team) => team.name).join(", ")}.</p>
      )}
    </section>
  );
}

function SignInSection({ person }: { person: Person }) {
  const update = usePersonUpdate(person);
  // What the open dialog asks, fixed when it opens: the person's status changes under it on success.
  const [confirming, setConfirming] = useState<"deactivate" | "reactivate" | null>(null);
  const purpose = person.status === "invited" ? "invitation" : "password-reset";
  const issueLink = useMutation({
    mutationFn: () => api(`/api/people/${person.id}/${purpose}`, AccountLink, { method: "POST" }),
  });
  const deactivated = person.status === "deactivated";
  const toggle = () => update.mutate({ active: confirming === "reactivate" }, { onSuccess: () => setConfirming(null) });
  return (
    <section className="card" aria-labelledby="sign-in-heading">
      <h2 id="sign-in-heading">Sign-in</h2>
      {person.status === "invited" && <p>{person.name} has not joined yet.</p>}
      {person.status === "active" && <p>{person.name} can sign in.</p>}
      {deactivated && <p>{person.name} is deactivated: they cannot sign in. Their data stays until erased.</p>}
      <div className="button-row">
        {!deactivated && (
          <button type="button" className="button" onClick={() => issueLink.mutate()} disabled={issueLink.isPending}>
            {person.status === "invited" ? "New invitation link" : "Password reset link"}
          </button>
        )}
        <button
          type="button"
          className={deactivated ? "button" : "button danger"}
          onClick={() => {
            update.reset();
            setConfirming(deactivated ? "reactivate" : "deactivate");
          }}
        >
          {deactivated ? "Reactivate" : "Deactivate"}
        </button>
      </div>
      {issueLink.error && (
        <p className="form-error" role="alert">
          {issueLink.error.message}
        </p>
      )}
      {issueLink.data && !deactivated && (
        <AccountLinkResult link={issueLink.data} name={person.name} email={person.email} />
      )}
      <ConfirmDialog
        open={confirming !== null}
        title={confirming === "reactivate" ? `Reactivate ${person.name}?` : `Deactivate ${person.name}?`}
        confirmLabel={confirming === "reactivate" ? "Reactivate" : "Deactivate"}
        danger={confirming !== "reactivate"}
        pending={update.isPending}
        error={update.error?.message}
        onConfirm={toggle}
        onCancel={() => setConfirming(null)}
      >
        <p>
          {confirming === "reactivate"
            ? `${person.name} will be able to sign in again with their password.`
            : `${person.name} is signed out everywhere at once and cannot sign in until reactivated. Their practice and records stay.`}
        </p>
      </ConfirmDialog>
    </section>
  );
}

function DataSection({ person, onErased }: { person: Person; onErased: (report: EraseReport) => void }) {
  const [erasing, setErasing] = useState(false);
  return (
    <section className="card" aria-labelledby="data-heading">
      <h2 id="data-heading">Their data</h2>
      <p>
        Everything Spar holds about {person.name} (profile, practice sessions with transcripts, scorecards, assignments,
        one-to-one records, observations and audit entries) as one JSON file.
      </p>
      <div className="button-row">
        <a className="button" href={`/api/people/${person.id}/export`} download>
          Export data
        </a>
        <Link className="button subtle" to={`/admin/audit?personId=${person.id}`}>
          Audit log about {person.name}
        </Link>
        <button type="button" className="button danger" onClick={() => setErasing(true)}>
          Erase…
        </button>
      </div>
      <ErasePersonDialog person={person} open={erasing} onClose={() => setErasing(false)} onErased={onErased} />
    </section>
  );
}

function Erased({ name, report }: { name: string; report: EraseReport }) {
  return (
    <main className="page admin-page" id="main">
      <p>
        <Link to="/admin/people">← People</Link>
      </p>
      <h1>{name} was erased</h1>
      <p className="notice success" role="status">
        Removed for good: {report.sessions} practice sessions with {report.turns} transcript turns, and{" "}
        {report.scorecards} scorecards, with their personal details.
      </p>
    </main>
  );
}

/** One person, for L&D admins: details, sign-in (links, deactivation) and their data rights. */
export function PersonPage() {
  const { personId = "" } = useParams();
  const client = useQueryClient();
  const person = usePerson(personId);
  const [erased, setErased] = useState<{ name: string; report: EraseReport } | null>(null);
  if (erased) return <Erased {...erased} />;
  if (person.isPending) return <p className="loading">Loading…</p>;
  if (person.isError) {
    return (
      <main className="page admin-page" id="main">
        <h1>Person not found</h1>
        <p className="form-error">{person.error.message}</p>
        <Link to="/admin/people">Back to People</Link>
      </main>
    );
  }
  const data = person.data;
  const onErased = (report: EraseReport) => {
    setErased({ name: data.name, report });
    client.removeQueries({ queryKey: peopleKeys.person(data.id) });
    void client.invalidateQueries({ queryKey: peopleKeys.all });
  };
  return (
    <main className="page admin-page" id="main">
      <p>
        <Link to="/admin/people">← People</Link>
      </p>
      <h1>{data.name}</h1>
      <p className="lead">
        {data.email} · {roleLabels[data.role]} ·{" "}
        <span className={`status status-${data.status}`}>{statusLabels[data.status]}</span>
        {data.isDemo && <span className="tag">demo</span>}
      </p>
      <DetailsForm person={data} />
      <SignInSection person={data} />
      <DataSection person={data} onErased={onErased} />
    </main>
  );
}
