import { TeamSummary } from "@spar/protocol";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { viewerOf } from "../../plugins/access-control.ts";
import type { Services } from "../../services.ts";

export const teamRoutes: FastifyPluginAsyncZod<{ services: Services }> = async (app, { services }) => {
  app.get(
    "/api/teams",
    {
      config: { access: ["manager", "ld_admin"] },
      schema: { response: { 200: z.object({ teams: z.array(TeamSummary) }) } },
    },
    async (request) => {
      const viewer = viewerOf(request);
      // Managers see the teams they manage; L&D admins see every team.
      const teams = await services.teams.listTeams(viewer.role === "manager" ? { managedBy: viewer.id } : {});
      return { teams };
    },
  );
};
