import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import { AppError } from "../app-error.ts";

declare module "fastify" {
  interface FastifyContextConfig {
    /** The route signs in with a password or sets one: refused while password sign-in is off. */
    usesPassword?: boolean;
  }
}

/**
 * SPAR_PASSWORD_SIGN_IN=off: every route that declares `usesPassword` answers
 * PASSWORD_SIGN_IN_OFF before reading its body, so the rule lives in one place.
 */
export const passwordSignInSwitch = fp(
  async (app: FastifyInstance, options: { enabled: boolean; providerName: string | null }) => {
    if (options.enabled) return;
    const message = `Password sign-in is switched off on this server. Sign in with ${options.providerName ?? "single sign-on"} instead.`;
    app.addHook("onRequest", async (request) => {
      if (request.routeOptions.config.usesPassword) throw new AppError(403, "PASSWORD_SIGN_IN_OFF", message);
    });
  },
);
