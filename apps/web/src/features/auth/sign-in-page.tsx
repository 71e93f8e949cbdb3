import type { DemoAccount, Role } from "@spar/protocol";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Navigate, useNavigate, useSearchParams } from "react-router";
import { ApiError, api } from "../../api/client.ts";
import { Field, issuesByField } from "../../components/field.tsx";
import {
  queryKeys,
  signInResponse,
  useCurrentUser,
  useDemoAccounts,
  useSetupStatus,
  useSignInOptions,
} from "./auth-queries.ts";
import { ssoErrorMessage } from "./sso-errors.ts";

export const roleLabels: Record<Role, string> = { learner: "Learner", manager: "Manager", ld_admin: "L&D admin" };

export function SignInPage() {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [searchParams] = useSearchParams();
  const me = useCurrentUser();
  const setup = useSetupStatus();
  const demo = useDemoAccounts();
  const options = useSignInOptions();
  const next = searchParams.get("next");
  const returnTo = next?.startsWith("/") && !next.startsWith("//") ? next : "/";

  const signIn = useMutation({
    mutationFn: (credentials: { email: string; password: string }) =>
      api("/api/auth/sign-in", signInResponse, { method: "POST", body: credentials }),
    onSuccess: ({ user }) => {
      queryClient.setQueryData(queryKeys.me, user);
      navigate(returnTo, { replace: true });
    },
  });

  if (setup.data?.needsSetup) return <Navigate to="/setup" replace />;
  if (me.data) return <Navigate to="/" replace />;

  const error = signIn.error instanceof ApiError ? signIn.error : null;
  const sso = options.data?.oidc ?? null;
  // Until the options arrive the form shows, as it always did; only a server that says so hides it.
  const passwordSignIn = options.data?.password !== false;
  // Said once the options name the provider, so the message is not rewritten as the reader reads it.
  const ssoError = options.isPending ? null : ssoErrorMessage(searchParams.get("sso_error"), sso?.name ?? "your organisation's sign-in");
  const fieldErrors = issuesByField(error?.issues ?? []);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    signIn.mutate({ email, password });
  };
  const signInAs = (account: DemoAccount) => {
    if (!demo.data) return;
    setEmail(account.email);
    setPassword(demo.data.password);
    signIn.mutate({ email: account.email, password: demo.data.password });
  };

  return (
    <main className="auth-layout">
      <section className="card" aria-labelledby="sign-in-heading">
        <p className="brand" aria-hidden="true">
          Spar
        </p>
        <h1 id="sign-in-heading">Sign in</h1>
        <p className="lead">Practise the conversations that matter, on your own schedule.</p>
        {ssoError && (
          <p className="form-error" role="alert">
            {ssoError}
          </p>
        )}
        {sso && (
          // A plain link: the browser leaves for the provider and comes back signed in.
          <a className="button primary sso-button" href={`${sso.loginUrl}?returnTo=${encodeURIComponent(returnTo)}`}>
            Sign in with {sso.name}
          </a>
        )}
        {sso && passwordSignIn && (
          <p className="sign-in-divider">
            <span>or with your password</span>
          </p>
        )}
        {passwordSignIn && (
          <form onSubmit={submit} noValidate>
            <Field
              label="Email"
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
              autoComplete="current-password"
              value={password}
              onChange={setPassword}
              error={fieldErrors.password}
            />
            {error && !error.issues.length && (
              <p className="form-error" role="alert">
                {error.message}
              </p>
            )}
            <button type="submit" className="button primary" disabled={signIn.isPending}>
              {signIn.isPending ? "Signing in…" : "Sign in"}
            </button>
          </form>
        )}
      </section>
      {demo.data && passwordSignIn && (
        <section className="card demo-accounts" aria-labelledby="demo-heading">
          <h2 id="demo-heading">Demo accounts</h2>
          <p>
            This server has demo data loaded. Every demo account uses the password <code>{demo.data.password}</code>.
            Pick one to sign in as them.
          </p>
          <ul>
            {demo.data.accounts.map((account) => (
              <li key={account.email}>
                <button type="button" className="demo-account" onClick={() => signInAs(account)}>
                  <span className="demo-name">{account.name}</span>
                  <span className="demo-meta">
                    {roleLabels[account.role]}
                    {account.team ? ` · ${account.team}` : ""}
                  </span>
                  <span className="demo-email">{account.email}</span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </main>
  );
}
