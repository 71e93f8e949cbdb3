import { CurrentUser, DemoAccounts } from "@spar/protocol";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Navigate, useNavigate } from "react-router";
import { z } from "zod";
import { ApiError, api } from "../../api/client.ts";
import { Field, issuesByField } from "../../components/field.tsx";
import { queryKeys, useSetupStatus } from "./auth-queries.ts";

/** The first page of a fresh install: load the demo organisation, or create the first L&D admin. */
export function SetupPage() {
  const setup = useSetupStatus();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");

  const createAdmin = useMutation({
    mutationFn: () =>
      api("/api/setup/admin", z.object({ user: CurrentUser }), { method: "POST", body: { name, email, password } }),
    onSuccess: async ({ user }) => {
      queryClient.setQueryData(queryKeys.me, user);
      await queryClient.invalidateQueries({ queryKey: queryKeys.setup });
      navigate("/", { replace: true });
    },
  });
  const loadDemo = useMutation({
    mutationFn: () => api("/api/setup/demo", DemoAccounts, { method: "POST" }),
    onSuccess: async () => {
      await queryClient.invalidateQueries();
      navigate("/sign-in", { replace: true });
    },
  });

  if (setup.isPending) return <p className="loading">Loading…</p>;
  if (setup.data && !setup.data.needsSetup) return <Navigate to="/sign-in" replace />;

  const adminError = createAdmin.error instanceof ApiError ? createAdmin.error : null;
  const fieldErrors = issuesByField(adminError?.issues ?? []);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    createAdmin.mutate();
  };

  return (
    <main className="auth-layout">
      <section className="card" aria-labelledby="setup-heading">
        <p className="brand" aria-hidden="true">
          Spar
        </p>
        <h1 id="setup-heading">Welcome to Spar</h1>
        <p className="lead">This is a fresh install with no accounts yet. Choose how to begin.</p>
        {setup.data?.demoAllowed && (
          <div className="setup-option">
            <h2>Try it with demo data</h2>
            <p>
              Loads a demo organisation: one L&amp;D admin, two managers and eight learners in two teams. You can sign
              in as any of them.
            </p>
            <button
              type="button"
              className="button primary"
              onClick={() => loadDemo.mutate()}
              disabled={loadDemo.isPending}
            >
              {loadDemo.isPending ? "Loading demo data…" : "Load the demo organisation"}
            </button>
            {loadDemo.error && (
              <p className="form-error" role="alert">
                {loadDemo.error.message}
              </p>
            )}
          </div>
        )}
        <form className="setup-option" onSubmit={submit} noValidate aria-labelledby="admin-heading">
          <h2 id="admin-heading">Create the first L&amp;D admin</h2>
          <p>For a real deployment: this account will manage the scenario library and invite everyone else.</p>
          <Field
            label="Your name"
            name="name"
            autoComplete="name"
            value={name}
            onChange={setName}
            error={fieldErrors.name}
          />
          <Field
            label="Work email"
            name="email"
            type="email"
            autoComplete="username"
            value={email}
            onChange={setEmail}
            error={fieldErrors.email}
          />
          <Field
            label="Password"
            name="password"
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={setPassword}
            error={fieldErrors.password}
            hint="At least 10 characters."
          />
          {adminError && !adminError.issues.length && (
            <p className="form-error" role="alert">
              {adminError.message}
            </p>
          )}
          <button type="submit" className="button" disabled={createAdmin.isPending}>
            {createAdmin.isPending ? "Creating…" : "Create admin account"}
          </button>
        </form>
      </section>
    </main>
  );
}
