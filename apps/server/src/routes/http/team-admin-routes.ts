import type { TeamWriteResult } from "@spar/domain";
import { NewTeamRequest, TeamDetail, TeamParams, UpdateTeamRequest } from "@spar/protocol";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { AppError, notFound } from "../../app-error.ts";
import { viewerOf } from "../../plugins/access-control.ts";
import type { Services } from "../../services.ts";

export function teamWriteError(result: Extract<TeamWriteResult, { ok: false }>): AppError {
  switch (result.reason) {
    case "not-found":
      return notFound("That team");
    case "name-taken":
      return new AppError(409, "CONFLICT", "A team with that name already exists.", [{ path: "name", message: "A team with that name already exists." }]);
    case "external-id-taken":
      return new AppError(409, "CONFLICT", "Another team already has that external id.");
    case "person-not-found":
      return new AppError(400, "VALIDATION_FAILED", "One of those people does not exist.", [{ path: "managerIds", message: "One of those people does not exist." }]);
    case "not-a-manager":
      return new AppError(400, "VALIDATION_FAILED", "Only people with the manager role can manage a team.", [
        { path: "managerIds", message: "Only people with the manager role can manage a team." },
      ]);
  }
}

const TeamResponse = z.object({ team: TeamDetail });

/** Teams, for L&D admins: create, rename, give managers, delete (members stay, teamless). */
export const teamAdminRoutes: FastifyPluginAsyncZod<{ services: Services }> = async (app, { services }) => {
  app.get(
    "/api/admin/teams",
    { config: { access: ["ld_admin"] }, schema: { response: { 200: z.object({ teams: z.array(TeamDetail) }) } } },
    async () => ({ teams: await services.people.store.listTeams() }),
  );

  app.post(
    "/api/teams",
    { config: { access: ["ld_admin"] }, schema: { body: NewTeamRequest, response: { 201: TeamResponse } } },
    async (request, reply) => {
      const result = await services.people.store.createTeam(request.body, { id: viewerOf(request).id });
      if (!result.ok) throw teamWriteError(result);
      return reply.status(201).send({ team: result.team });
    },
  );

  app.patch(
    "/api/teams/:teamId",
    { config: { access: ["ld_admin"] }, schema: { params: TeamParams, body: UpdateTeamRequest, response: { 200: TeamResponse } } },
    async (request) => {
      const result = await services.people.store.updateTeam(request.params.teamId, request.body, { id: viewerOf(request).id });
      if (!result.ok) throw teamWriteError(result);
      return { team: result.team };
    },
  );

  app.delete("/api/teams/:teamId", { config: { access: ["ld_admin"] }, schema: { params: TeamParams } }, async (request, reply) => {
    const { ok } = await services.people.store.deleteTeam(request.params.teamId, { id: viewerOf(request).id });
    if (!ok) throw notFound("That team");
    return reply.status(204).send();
  });
};
