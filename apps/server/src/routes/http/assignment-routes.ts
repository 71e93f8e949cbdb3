import { type AssignmentRecord, type Clock, dueTimeHasPassed, isOverdue } from "@spar/domain";
import { CreateAssignmentRequest, MyAssignment, TeamAssignment, TeamParams } from "@spar/protocol";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { AppError, forbidden } from "../../app-error.ts";
import type { LibraryHolder } from "../../library/library-holder.ts";
import { viewerOf } from "../../plugins/access-control.ts";
import type { Services } from "../../services.ts";

export interface AssignmentRouteOptions {
  services: Services;
  library: LibraryHolder;
  clock: Clock;
}

export const assignmentRoutes: FastifyPluginAsyncZod<AssignmentRouteOptions> = async (app, { services, library, clock }) => {
  const scenarioTitle = (id: string) => library.library.scenarios.get(id)?.value.title ?? id;
  const teamView = (record: AssignmentRecord) => {
    const now = clock.now();
    return {
      id: record.id,
      scenario: { id: record.scenarioId, title: scenarioTitle(record.scenarioId) },
      dueAt: record.dueAt?.toISOString() ?? null,
      note: record.note,
      createdAt: record.createdAt.toISOString(),
      people: record.targets.map((target) => ({
        id: target.learnerId,
        name: target.learnerName,
        status: target.status,
        overdue: isOverdue(record.dueAt, target.status, now),
        completedAt: target.completedAt?.toISOString() ?? null,
      })),
    };
  };

  app.post(
    "/api/assignments",
    { config: { access: ["manager"] }, schema: { body: CreateAssignmentRequest, response: { 201: z.object({ assignment: TeamAssignment }) } } },
    async (request, reply) => {
      const viewer = viewerOf(request);
      const body = request.body;
      if (!library.library.scenarios.has(body.scenarioId)) throw new AppError(400, "VALIDATION_FAILED", `There is no scenario "${body.scenarioId}" in the library.`);
      const dueAt = body.dueAt ? new Date(body.dueAt) : null;
      if (dueAt && dueTimeHasPassed(dueAt, clock.now())) {
        const message = "That due date has passed. Pick today or a later day.";
        throw new AppError(400, "VALIDATION_FAILED", message, [{ path: "dueAt", message }]);
      }
      const teams = await services.teams.listTeams({ managedBy: viewer.id });
      const reports = new Set(teams.flatMap((team) => team.members.map((member) => member.id)));
      let learnerIds: string[];
      if (body.teamId) {
        const team = teams.find((each) => each.id === body.teamId);
        if (!team) throw forbidden("You can assign practice to the teams you manage.");
        learnerIds = team.members.map((member) => member.id);
      } else {
        learnerIds = [...new Set(body.learnerIds ?? [])];
        if (learnerIds.some((id) => !reports.has(id))) throw forbidden("You can assign practice to people in the teams you manage.");
      }
      const assignment = await services.assignments.create({
        scenarioId: body.scenarioId,
        createdById: viewer.id,
        teamId: body.teamId ?? null,
        dueAt,
        note: body.note ?? null,
        learnerIds,
      });
      return reply.status(201).send({ assignment: teamView(assignment) });
    },
  );

  app.get(
    "/api/assignments/mine",
    { config: { access: "signed-in" }, schema: { response: { 200: z.object({ assignments: z.array(MyAssignment) }) } } },
    async (request) => {
      const viewer = viewerOf(request);
      const now = clock.now();
      const records = await services.assignments.forLearner(viewer.id);
      return {
        assignments: records.flatMap((record) => {
          const target = record.targets[0];
          if (!target) return [];
          return [
            {
              id: record.id,
              scenario: { id: record.scenarioId, title: scenarioTitle(record.scenarioId) },
              assignedBy: record.createdByName,
              dueAt: record.dueAt?.toISOString() ?? null,
              note: record.note,
              status: target.status,
              overdue: isOverdue(record.dueAt, target.status, now),
              completedAt: target.completedAt?.toISOString() ?? null,
            },
          ];
        }),
      };
    },
  );

  app.get(
    "/api/teams/:teamId/assignments",
    { config: { access: ["manager"] }, schema: { params: TeamParams, response: { 200: z.object({ assignments: z.array(TeamAssignment) }) } } },
    async (request) => {
      const team = (await services.teams.listTeams({ managedBy: viewerOf(request).id })).find((each) => each.id === request.params.teamId);
      if (!team) throw forbidden("You can see the teams you manage.");
      const records = await services.assignments.forLearners(team.members.map((member) => member.id));
      return { assignments: records.map(teamView) };
    },
  );
};
