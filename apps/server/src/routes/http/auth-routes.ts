import { CurrentUser, DemoAccounts, SignInRequest } from "@spar/protocol";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { AppError, notFound } from "../../app-error.ts";
import { sessionCookie, viewerOf } from "../../plugins/access-control.ts";
import type { Services } from "../../services.ts";
import { clearSessionCookie, setSessionCookie } from "./session-cookie.ts";
import { demoPassword } from "@spar/domain";

export interface AuthRouteOptions {
  services: Services;
  secureCookies: boolean;
}

export const authRoutes: FastifyPluginAsyncZod<AuthRouteOptions> = async (app, { services, secureCookies }) => {
  app.post(
    "/api/auth/sign-in",
    {
      config: { access: "public", usesPassword: true, rateLimit: { max: 20, timeWindow: "1 minute" } },
      schema: { body: SignInRequest, response: { 200: z.object({ user: CurrentUser }) } },
    },
    async (request, reply) => {
      const signedIn = await services.accounts.signIn(request.body.email, request.body.password);
      // One message for an unknown email and a wrong password: it must not tell which.
      if (!signedIn) throw new AppError(401, "INVALID_CREDENTIALS", "That email and password do not match an account.");
      setSessionCookie(reply, signedIn, secureCookies);
      return { user: signedIn.user };
    },
  );

  app.post("/api/auth/sign-out", { config: { access: "public" } }, async (request, reply) => {
    const token = request.cookies[sessionCookie];
    if (token) await services.accounts.signOut(token);
    clearSessionCookie(reply, secureCookies);
    return reply.status(204).send();
  });

  app.get(
    "/api/auth/me",
    { config: { access: "signed-in" }, schema: { response: { 200: z.object({ user: CurrentUser }) } } },
    async (request) => ({ user: viewerOf(request) }),
  );

  app.get(
    "/api/auth/demo-accounts",
    { config: { access: "public" }, schema: { response: { 200: DemoAccounts } } },
    async () => {
      const accounts = await services.demo.accounts();
      if (accounts.length === 0) throw notFound("Demo data");
      return { password: demoPassword, accounts };
    },
  );
};
