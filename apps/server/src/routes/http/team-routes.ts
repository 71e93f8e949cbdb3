import { teamOverview } from "@spar/domain";
import { TeamOverview, TeamOverviewQuery, TeamParams, TeamSummary } from "@spar/protocol";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { forbidden } from "../../app-error.ts";
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

  app.get(
    "/api/teams/:teamId/overview",
    {
      // Individual people's practice: their own managers only (L&D sees programme aggregates).
      config: { access: ["manager"] },
      schema: {
        params: TeamParams,
        querystring: TeamOverviewQuery,
        response: { 200: TeamOverview },
      },
    },
    async (request) => {
      const viewer = viewerOf(request);
      const team = (await services.teams.listTeams({ managedBy: viewer.id })).find((each) => each.id === request.params.teamId);
      if (!team) throw forbidden("You can see the teams you manage.");
      const sessions = await services.history.sessionsOfMany(team.members.map((member) => member.id));
      const members = team.members.map((member) => ({ id: member.id, name: member.name, sessions: sessions.get(member.id) ?? [] }));
      const { from, to, stuckAfter } = request.query;
      return teamOverview({ id: team.id, name: team.name }, members, {
        stuckAfter,
        from: from ? new Date(from) : null,
        to: to ? new Date(to) : null,
      });
    },
  );
};
