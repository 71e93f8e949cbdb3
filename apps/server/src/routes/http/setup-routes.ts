import { CreateFirstAdminRequest, CurrentUser, DemoAccounts, SetupStatus } from "@spar/protocol";
import { demoPassword } from "@spar/domain";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { AppError, notFound } from "../../app-error.ts";
import { viewerOf } from "../../plugins/access-control.ts";
import type { Services } from "../../services.ts";
import { setSessionCookie } from "./session-cookie.ts";

export interface SetupRouteOptions {
  services: Services;
  /** Loads the demo organisation and its practice history; `created` is false when someone got there first. */
  loadDemo: () => Promise<{ created: boolean }>;
  secureCookies: boolean;
  demoAllowed: boolean;
}

const alreadySetUp = () =>
  new AppError(409, "ALREADY_SET_UP", "Spar is already set up: sign in, or ask an L&D admin for an account.");

/** The first page of a fresh install: create the first L&D admin, or load the demo organisation. */
export const setupRoutes: FastifyPluginAsyncZod<SetupRouteOptions> = async (app, options) => {
  const { services, secureCookies, demoAllowed, loadDemo } = options;

  app.get("/api/setup", { config: { access: "public" }, schema: { response: { 200: SetupStatus } } }, async () => {
    const [needsSetup, demo] = await Promise.all([services.accounts.needsSetup(), services.demo.accounts()]);
    return { needsSetup, demoLoaded: demo.length > 0, demoAllowed };
  });

  app.post(
    "/api/setup/admin",
    {
      config: { access: "public", rateLimit: { max: 10, timeWindow: "1 minute" } },
      schema: { body: CreateFirstAdminRequest, response: { 201: z.object({ user: CurrentUser }) } },
    },
    async (request, reply) => {
      const weak = services.accounts.passwordProblem(request.body.password);
      if (weak) throw new AppError(400, "VALIDATION_FAILED", `password: ${weak}`, [{ path: "password", message: weak }]);
      const signedIn = await services.accounts.createFirstAdmin(request.body);
      if (!signedIn) throw alreadySetUp();
      setSessionCookie(reply, signedIn, secureCookies);
      return reply.status(201).send({ user: signedIn.user });
    },
  );

  app.post(
    "/api/setup/demo",
    { config: { access: "public", rateLimit: { max: 5, timeWindow: "1 minute" } }, schema: { response: { 201: DemoAccounts } } },
    async (_request, reply) => {
      if (!demoAllowed) throw new AppError(403, "FORBIDDEN", "Demo data is turned off on this server (SPAR_DEMO=off).");
      // The seed itself refuses under the first-run lock when anyone else got there first.
      const result = await loadDemo();
      if (!result.created) throw alreadySetUp();
      return reply.status(201).send({ password: demoPassword, accounts: await services.demo.accounts() });
    },
  );

  app.delete("/api/demo", { config: { access: ["ld_admin"] } }, async (request, reply) => {
    // A demo admin may remove it too: their own account goes with it, and a Spar with nobody left
    // opens on the set-up page again, ready for the real organisation.
    const viewer = viewerOf(request);
    const result = await services.demo.remove(viewer.id);
    if (!result.removed) throw notFound("The demo organisation");
    return reply.status(204).send();
  });
};
