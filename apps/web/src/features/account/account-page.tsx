import type { CurrentUser } from "@spar/protocol";
import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useOutletContext } from "react-router";
import { ApiError, api } from "../../api/client.ts";
import { Field, issuesByField } from "../../components/field.tsx";
import { roleLabels } from "../auth/sign-in-page.tsx";

/** The signed-in person's own account: who they are, and changing their password. */
export function AccountPage() {
  const user = useOutletContext<CurrentUser>();
  const [currentPassword, setCurrentPassword] = useState("");
  const [newPassword, setNewPassword] = useState("");
  const change = useMutation({
    mutationFn: () => api("/api/auth/password", null, { method: "POST", body: { currentPassword, newPassword } }),
    onSuccess: () => {
      setCurrentPassword("");
      setNewPassword("");
    },
  });
  const error = change.error instanceof ApiError ? change.error : null;
  const fieldErrors = issuesByField(error?.issues ?? []);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    change.mutate();
  };
  return (
    <main className="page admin-page narrow" id="main">
      <h1>Your account</h1>
      <p className="lead">
        {user.name} · {user.email} · {roleLabels[user.role]}
      </p>
      <section className="card" aria-labelledby="password-heading">
        <h2 id="password-heading">Change your password</h2>
        <form onSubmit={submit} noValidate>
          <input type="email" name="email" autoComplete="username" value={user.email} readOnly hidden />
          <Field
            label="Current password"
            name="currentPassword"
            type="password"
            autoComplete="current-password"
            value={currentPassword}
            onChange={setCurrentPassword}
            error={fieldErrors.currentPassword}
          />
          <Field
            label="New password"
            name="newPassword"
            type="password"
            autoComplete="new-password"
            value={newPassword}
            onChange={setNewPassword}
            error={fieldErrors.newPassword}
            hint="At least 10 characters. Your other sign-ins end; this one stays."
          />
          {error && !error.issues.length && (
            <p className="form-error" role="alert">
              {error.message}
            </p>
          )}
          {change.isSuccess && (
            <p className="notice success" role="status">
              Your password was changed.
            </p>
          )}
          <button type="submit" className="button primary" disabled={change.isPending}>
            {change.isPending ? "Changing…" : "Change password"}
          </button>
        </form>
      </section>
    </main>
  );
}
