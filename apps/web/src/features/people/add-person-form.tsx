import { type NewPersonRequest, PersonCreated, type Role } from "@spar/protocol";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { ApiError, api } from "../../api/client.ts";
import { AccountLinkResult } from "../../components/account-link-result.tsx";
import { Field, issuesByField } from "../../components/field.tsx";
import { roleLabels } from "../auth/sign-in-page.tsx";
import { peopleKeys } from "./people-queries.ts";
import { RoleAndTeamFields } from "./role-and-team-fields.tsx";

/** Adds one person and shows their invitation link (or says it was e-mailed). */
export function AddPersonForm() {
  const client = useQueryClient();
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("learner");
  const [teamId, setTeamId] = useState("");
  const add = useMutation({
    mutationFn: (body: NewPersonRequest) => api("/api/people", PersonCreated, { method: "POST", body }),
    onSuccess: async () => {
      setName("");
      setEmail("");
      await client.invalidateQueries({ queryKey: peopleKeys.all });
      await client.invalidateQueries({ queryKey: peopleKeys.teams });
    },
  });
  const error = add.error instanceof ApiError ? add.error : null;
  const fieldErrors = issuesByField(error?.issues ?? []);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate({ name, email, role, teamId: teamId || null });
  };
  return (
    <section className="card" aria-labelledby="add-person-heading">
      <h2 id="add-person-heading">Add a person</h2>
      <form onSubmit={submit} noValidate className="form-grid">
        <Field label="Name" name="name" autoComplete="off" value={name} onChange={setName} error={fieldErrors.name} />
        <Field
          label="E-mail"
          name="email"
          type="email"
          autoComplete="off"
          value={email}
          onChange={setEmail}
          error={fieldErrors.email}
        />
        <RoleAndTeamFields
          role={role}
          onRoleChange={setRole}
          teamId={teamId}
          onTeamChange={setTeamId}
          errors={fieldErrors}
        />
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={add.isPending}>
            {add.isPending ? "Adding…" : "Add and invite"}
          </button>
        </div>
      </form>
      {error && !error.issues.length && (
        <p className="form-error" role="alert">
          {error.message}
        </p>
      )}
      {add.data && (
        <div className="added">
          <p>
            Added <strong>{add.data.person.name}</strong> as {roleLabels[add.data.person.role]}.
          </p>
          <AccountLinkResult link={add.data.link} name={add.data.person.name} email={add.data.person.email} />
        </div>
      )}
    </section>
  );
}
