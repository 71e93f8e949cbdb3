import { AccountLinkInfo, ChangePasswordRequest, CurrentUser, LinkTokenParams, SetPasswordRequest } from "@spar/protocol";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { AppError } from "../../app-error.ts";
import { sessionCookie, viewerOf } from "../../plugins/access-control.ts";
import type { Services } from "../../services.ts";
import { setSessionCookie } from "./session-cookie.ts";

const linkInvalid = () =>
  new AppError(
    410,
    "LINK_INVALID",
    "This link has expired, was already used, or was replaced by a newer one. Ask your Spar administrator for a new link.",
  );

const weakPassword = (message: string, path: string) => new AppError(400, "VALIDATION_FAILED", message, [{ path, message }]);

// Tokens are 43 base64url characters; anything else cannot be one.

/** Invitation and reset links (public: the token is the proof), and changing one's own password. */
export const accountLinkRoutes: FastifyPluginAsyncZod<{ services: Services; secureCookies: boolean }> = async (app, { services, secureCookies }) => {
  const rateLimit = { max: 20, timeWindow: "1 minute" };

  app.get(
    "/api/account-links/:token",
    { config: { access: "public", rateLimit }, schema: { params: LinkTokenParams, response: { 200: AccountLinkInfo } } },
    async (request, reply) => {
      // The token sits in the page's address: it must not travel on in a Referer header.
      reply.header("referrer-policy", "no-referrer");
      const link = await services.links.find(request.params.token);
      if (!link) throw linkInvalid();
      return { purpose: link.purpose, name: link.name, email: link.email, expiresAt: link.expiresAt.toISOString() };
    },
  );

  app.post(
    "/api/account-links/:token",
    {
      config: { access: "public", usesPassword: true, rateLimit },
      schema: { params: LinkTokenParams, body: SetPasswordRequest, response: { 200: z.object({ user: CurrentUser }) } },
    },
    async (request, reply) => {
      reply.header("referrer-policy", "no-referrer");
      const problem = services.accounts.passwordProblem(request.body.password);
      if (problem) throw weakPassword(problem, "password");
      const redeemed = await services.links.redeem(request.params.token, await services.accounts.hashNewPassword(request.body.password));
      if (!redeemed.ok) throw linkInvalid();
      // Other sign-ins ended with a reset; tell open sockets too.
      if (redeemed.purpose === "password_reset") await services.revocations.revoke(redeemed.userId);
      const signedIn = await services.accounts.startSessionFor(redeemed.userId);
      if (!signedIn) throw linkInvalid();
      setSessionCookie(reply, signedIn, secureCookies);
      return { user: signedIn.user };
    },
  );

  app.post(
    "/api/auth/password",
    { config: { access: "signed-in", usesPassword: true, rateLimit: { max: 10, timeWindow: "1 minute" } }, schema: { body: ChangePasswordRequest } },
    async (request, reply) => {
      const viewer = viewerOf(request);
      const token = request.cookies[sessionCookie] ?? "";
      const result = await services.accounts.changePassword(viewer.id, request.body.currentPassword, request.body.newPassword, token);
      if (!result.ok) {
        throw weakPassword(result.message, result.reason === "wrong-password" ? "currentPassword" : "newPassword");
      }
      return reply.status(204).send();
    },
  );
};
