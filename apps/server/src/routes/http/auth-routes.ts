import { CurrentUser, DemoAccounts, SignInRequest } from "@spar/protocol";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { AppError } from "../../app-error.ts";
import { sessionCookie, viewerOf } from "../../plugins/access-control.ts";
import type { Services } from "../../services.ts";
import { clearSessionCookie, setSessionCookie } from "./session-cookie.ts";
import { demoPassword } from "@spar/domain";

function waitInWords(seconds: number): string {
  const minutes = Math.ceil(seconds / 60);
  return seconds < 60 ? `${seconds} seconds` : `${minutes} minute${minutes === 1 ? "" : "s"}`;
}

export interface AuthRouteOptions {
  services: Services;
  secureCookies: boolean;
}

export const authRoutes: FastifyPluginAsyncZod<AuthRouteOptions> = async (app, { services, secureCookies }) => {
  app.post(
    "/api/auth/sign-in",
    {
      // A coarse flood guard per process; failed guesses are throttled per account and address below.
      config: { access: "public", usesPassword: true, rateLimit: { max: 120, timeWindow: "1 minute" } },
      schema: { body: SignInRequest, response: { 200: z.object({ user: CurrentUser }) } },
    },
    async (request, reply) => {
      const { email, password } = request.body;
      const verdict = await services.signInThrottle.attempt(email, request.ip);
      if (!verdict.allowed) {
        reply.header("retry-after", String(verdict.retryAfterSeconds));
        throw new AppError(429, "RATE_LIMITED", `Too many failed sign-ins. Try again in ${waitInWords(verdict.retryAfterSeconds)}.`);
      }
      const signedIn = await services.accounts.signIn(email, password);
      // One message for an unknown email and a wrong password: it must not tell which.
      if (!signedIn) throw new AppError(401, "INVALID_CREDENTIALS", "That email and password do not match an account.");
      await services.signInThrottle.succeeded(email, request.ip);
      setSessionCookie(reply, signedIn, secureCookies);
      return { user: signedIn.user };
    },
  );

  app.post("/api/auth/sign-out", { config: { access: "public" } }, async (request, reply) => {
    const token = request.cookies[sessionCookie];
    if (token) {
      await services.accounts.signOut(token);
      // Practice sockets opened with this sign-in close too, on whichever process holds them.
      await services.revocations.revokeSignIn(token);
    }
    clearSessionCookie(reply, secureCookies);
    return reply.status(204).send();
  });

  // Whether this browser is signed in, answered 200 either way: the web app asks on every page
  // load, and a 401 for a signed-out visitor is an error in every browser's console.
  app.get(
    "/api/auth/session",
    { config: { access: "public" }, schema: { response: { 200: z.object({ user: CurrentUser.nullable() }) } } },
    async (request) => ({ user: request.viewer }),
  );

  app.get(
    "/api/auth/me",
    { config: { access: "signed-in" }, schema: { response: { 200: z.object({ user: CurrentUser }) } } },
    async (request) => ({ user: viewerOf(request) }),
  );

  app.get(
    "/api/auth/demo-accounts",
    { config: { access: "public" }, schema: { response: { 200: DemoAccounts } } },
    async () => {
      // Asked on every sign-in page load: no demo is an empty answer, not an error in the console.
      const accounts = await services.demo.accounts();
      return accounts.length === 0 ? { password: null, accounts } : { password: demoPassword, accounts };
    },
  );
};
