import { AccountLinkInfo, CurrentUser } from "@spar/protocol";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { z } from "zod";
import { ApiError, api } from "../../api/client.ts";
import { Field, issuesByField } from "../../components/field.tsx";
import { queryKeys, useSignInOptions } from "../auth/auth-queries.ts";

/**
 * Where an invitation or a reset link lands: the person chooses a password and is signed in.
 * The token is the only proof, so this page is public.
 */
export function AccountLinkPage({ purpose }: { purpose: "invitation" | "password_reset" }) {
  const { token = "" } = useParams();
  const client = useQueryClient();
  const navigate = useNavigate();
  const [password, setPassword] = useState("");
  const options = useSignInOptions();
  const link = useQuery({
    queryKey: ["account-link", token],
    queryFn: () => api(`/api/account-links/${encodeURIComponent(token)}`, AccountLinkInfo),
    retry: false,
  });
  const choose = useMutation({
    mutationFn: () =>
      api(`/api/account-links/${encodeURIComponent(token)}`, z.object({ user: CurrentUser }), {
        method: "POST",
        body: { password },
      }),
    onSuccess: async ({ user }) => {
      client.setQueryData(queryKeys.me, user);
      await client.invalidateQueries({ queryKey: queryKeys.me });
      navigate("/", { replace: true });
    },
  });
  const error = choose.error instanceof ApiError ? choose.error : null;
  const fieldErrors = issuesByField(error?.issues ?? []);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    choose.mutate();
  };
  const invalid = (link.error instanceof ApiError && link.error.status === 410) || error?.code === "LINK_INVALID";

  let content: ReactNode;
  if (link.isPending) {
    content = (
      <h1 id="link-heading" className="loading">
        {purpose === "invitation" ? "Opening your invitation…" : "Opening your reset link…"}
      </h1>
    );
  } else if (invalid || link.isError) {
    content = (
      <>
        <h1 id="link-heading">This link no longer works</h1>
        <p role="alert">{(error?.code === "LINK_INVALID" ? error : link.error)?.message}</p>
        <p>
          Each link works once and for a limited time. If you already chose a password,{" "}
          <Link to="/sign-in">sign in</Link>.
        </p>
      </>
    );
  } else if (link.data && options.data && !options.data.password && options.data.oidc) {
    // Password sign-in is switched off: the person joins through the organisation's sign-in.
    content = (
      <>
        <h1 id="link-heading">{`Welcome, ${link.data.name}`}</h1>
        <p className="lead">{`This Spar uses ${options.data.oidc.name}: sign in with it as ${link.data.email}. No password is needed here.`}</p>
        <a className="button primary sso-button" href={options.data.oidc.loginUrl}>
          {`Sign in with ${options.data.oidc.name}`}
        </a>
      </>
    );
  } else if (link.data) {
    const welcome = link.data.purpose === "invitation";
    content = (
      <>
        <h1 id="link-heading">{welcome ? `Welcome, ${link.data.name}` : "Choose a new password"}</h1>
        <p className="lead">
          {welcome
            ? `Choose a password for ${link.data.email} to join Spar.`
            : `For ${link.data.email}. Every other sign-in of yours ends when you save it.`}
        </p>
        <form onSubmit={submit} noValidate>
          <input type="email" name="email" autoComplete="username" value={link.data.email} readOnly hidden />
          <Field
            label={welcome ? "Password" : "New password"}
            name="password"
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={setPassword}
            error={fieldErrors.password}
            hint="At least 10 characters. A few unrelated words are easy to remember and hard to guess."
          />
          {error && !error.issues.length && (
            <p className="form-error" role="alert">
              {error.message}
            </p>
          )}
          <button type="submit" className="button primary" disabled={choose.isPending}>
            {choose.isPending ? "Saving…" : welcome ? "Join Spar" : "Save and sign in"}
          </button>
        </form>
      </>
    );
  }
  return (
    <main className="auth-layout">
      <section className="card" aria-labelledby="link-heading">
        <p className="brand" aria-hidden="true">
          Spar
        </p>
        {content}
      </section>
    </main>
  );
}
