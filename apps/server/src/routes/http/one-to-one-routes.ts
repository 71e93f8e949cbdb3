import { learnerWorkAccess } from "@spar/domain";
import { CreateObservationRequest, CreateOneToOneRequest, LearnerParams, ObservationView, OneToOneView } from "@spar/protocol";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { AppError, forbidden } from "../../app-error.ts";
import { viewerOf } from "../../plugins/access-control.ts";
import type { Services } from "../../services.ts";


/** One-to-one records and observations of real work: written by the person's manager, read by both. */
export const oneToOneRoutes: FastifyPluginAsyncZod<{ services: Services }> = async (app, { services }) => {
  const accessTo = async (request: Parameters<typeof viewerOf>[0], learnerId: string) =>
    learnerWorkAccess(viewerOf(request), learnerId, await services.teams.managersOf(learnerId));

  app.post(
    "/api/people/:learnerId/one-to-ones",
    { config: { access: ["manager"] }, schema: { params: LearnerParams, body: CreateOneToOneRequest, response: { 201: z.object({ oneToOne: OneToOneView }) } } },
    async (request, reply) => {
      const { learnerId } = request.params;
      if ((await accessTo(request, learnerId)) !== "as-manager") throw forbidden("You can record one-to-ones with the people you manage.");
      const theirs = new Set((await services.assignments.forLearner(learnerId)).map((assignment) => assignment.id));
      const foreign = request.body.agreedActions.find((action) => action.assignmentId && !theirs.has(action.assignmentId));
      if (foreign) throw new AppError(400, "VALIDATION_FAILED", "An agreed action links to an assignment that is not this person's.");
      const oneToOne = await services.oneToOnes.record(viewerOf(request).id, learnerId, request.body);
      return reply.status(201).send({ oneToOne });
    },
  );

  app.get(
    "/api/people/:learnerId/one-to-ones",
    { config: { access: "signed-in" }, schema: { params: LearnerParams, response: { 200: z.object({ oneToOnes: z.array(OneToOneView) }) } } },
    async (request) => {
      if ((await accessTo(request, request.params.learnerId)) === "denied") throw forbidden();
      return { oneToOnes: await services.oneToOnes.list(request.params.learnerId) };
    },
  );

  app.post(
    "/api/people/:learnerId/observations",
    { config: { access: ["manager"] }, schema: { params: LearnerParams, body: CreateObservationRequest, response: { 201: z.object({ observation: ObservationView }) } } },
    async (request, reply) => {
      const { learnerId } = request.params;
      if ((await accessTo(request, learnerId)) !== "as-manager") throw forbidden("You can record observations of the people you manage.");
      return reply.status(201).send({ observation: await services.oneToOnes.observe(viewerOf(request).id, learnerId, request.body) });
    },
  );

  app.get(
    "/api/people/:learnerId/observations",
    { config: { access: "signed-in" }, schema: { params: LearnerParams, response: { 200: z.object({ observations: z.array(ObservationView) }) } } },
    async (request) => {
      if ((await accessTo(request, request.params.learnerId)) === "denied") throw forbidden();
      return { observations: await services.oneToOnes.observations(request.params.learnerId) };
    },
  );
};
