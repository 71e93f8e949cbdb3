import { type Clock, SsoSignIn } from "@spar/domain";
import { SignInOptions, SsoLoginQuery, type SsoErrorReason } from "@spar/protocol";
import type { FastifyReply } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { OidcLogin, loginStateMs } from "../../accounts/oidc-login.ts";
import { OidcProviderClient } from "../../accounts/oidc-provider-client.ts";
import { safeReturnTo } from "../../accounts/return-to.ts";
import { AppError } from "../../app-error.ts";
import type { AppConfig } from "../../env.ts";
import type { Services } from "../../services.ts";
import { setSessionCookie } from "./session-cookie.ts";

export const oidcLoginPath = "/api/auth/oidc/login";
export const oidcCallbackPath = "/api/auth/oidc/callback";

// Binds an attempt to the browser that began it; only the sign-in routes ever need it.
const stateCookie = "spar_oidc_state";
const stateCookiePath = "/api/auth/oidc";

export interface SsoRouteOptions {
  services: Services;
  config: Pick<AppConfig, "oidc" | "passwordSignIn" | "publicUrl">;
  clock: Clock;
  secureCookies: boolean;
}

/** How people may sign in, and single sign-on with the organisation's OpenID provider. */
export const ssoRoutes: FastifyPluginAsyncZod<SsoRouteOptions> = async (
  app,
  { services, config, clock, secureCookies },
) => {
  app.get(
    "/api/auth/options",
    { config: { access: "public" }, schema: { response: { 200: SignInOptions } } },
    async () => ({
      password: config.passwordSignIn,
      oidc: config.oidc ? { name: config.oidc.providerName, loginUrl: oidcLoginPath } : null,
    }),
  );

  const oidc = config.oidc;
  const flow = oidc
    ? {
        login: new OidcLogin({
          provider: new OidcProviderClient({ ...oidc, redirectUri: new URL(oidcCallbackPath, config.publicUrl) }),
          states: services.oidcLoginStates,
          clock,
        }),
        signIn: new SsoSignIn({
          store: services.ssoAccounts,
          people: services.people,
          accounts: services.accounts,
          audit: services.audit,
          allowedDomains: oidc.allowedDomains,
        }),
      }
    : null;
  const notConfigured = () => new AppError(404, "NOT_FOUND", "Single sign-on is not configured on this server.");

  // A refusal is a page in words, never an error body: the browser is mid-redirect.
  const refuse = (reply: FastifyReply, reason: SsoErrorReason) => reply.redirect(`/sign-in?sso_error=${reason}`, 302);
  // Generous: the provider does the real checking, and a whole office may share one address
  // behind a proxy at nine in the morning. This only keeps one client from filling the state table.
  const rateLimit = { max: 120, timeWindow: "1 minute" };

  app.get(
    oidcLoginPath,
    {
      config: { access: "public", rateLimit },
      schema: { querystring: SsoLoginQuery },
    },
    async (request, reply) => {
      if (!flow) throw notConfigured();
      reply.header("cache-control", "no-store");
      const started = await flow.login.start(safeReturnTo(request.query.returnTo));
      if (!started.ok) {
        request.log.warn({ reason: started.reason, detail: started.detail }, "single sign-on could not start");
        return refuse(reply, started.reason);
      }
      reply.setCookie(stateCookie, started.state, {
        httpOnly: true,
        // Lax: the provider brings the browser back with a top-level GET, which carries it.
        sameSite: "lax",
        secure: secureCookies,
        path: stateCookiePath,
        maxAge: loginStateMs / 1000,
      });
      return reply.redirect(started.redirectTo.href, 302);
    },
  );

  app.get(oidcCallbackPath, { config: { access: "public", rateLimit } }, async (request, reply) => {
    if (!flow) throw notConfigured();
    reply.header("cache-control", "no-store");
    reply.clearCookie(stateCookie, { httpOnly: true, sameSite: "lax", secure: secureCookies, path: stateCookiePath });
    const queryAt = request.url.indexOf("?");
    const query = new URLSearchParams(queryAt === -1 ? "" : request.url.slice(queryAt + 1));
    const finished = await flow.login.finish(query, request.cookies[stateCookie]);
    if (!finished.ok) {
      request.log.warn({ reason: finished.reason, detail: finished.detail }, "single sign-on refused");
      return refuse(reply, finished.reason);
    }
    const result = await flow.signIn.signIn(finished.identity);
    if (!result.ok) {
      request.log.info({ reason: result.reason }, "single sign-on refused");
      return refuse(reply, result.reason);
    }
    setSessionCookie(reply, result.signedIn, secureCookies);
    return reply.redirect(finished.returnTo, 302);
  });
};
