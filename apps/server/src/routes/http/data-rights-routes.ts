import { EraseReport, EraseRequest, PersonExport, PersonParams } from "@spar/protocol";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { AppError, notFound } from "../../app-error.ts";
import { viewerOf } from "../../plugins/access-control.ts";
import type { Services } from "../../services.ts";


/** A file name that is safe in a header whatever the address holds. */
export const exportFileName = (email: string) => `spar-export-${email.replace(/[^\w.@+-]/g, "_")}.json`;

/** Each person's data rights, exercised by an L&D admin on their behalf: export and erasure. */
export const dataRightsRoutes: FastifyPluginAsyncZod<{ services: Services }> = async (app, { services }) => {
  app.get(
    "/api/people/:personId/export",
    { config: { access: ["ld_admin"] }, schema: { params: PersonParams, response: { 200: PersonExport } } },
    async (request, reply) => {
      const document = await services.dataRights.exportPerson(request.params.personId, { id: viewerOf(request).id });
      if (!document) throw notFound("That person");
      return reply.header("content-disposition", `attachment; filename="${exportFileName(document.person.email)}"`).send(document);
    },
  );

  app.post(
    "/api/people/:personId/erase",
    { config: { access: ["ld_admin"] }, schema: { params: PersonParams, body: EraseRequest, response: { 200: EraseReport } } },
    async (request) => {
      const result = await services.dataRights.erasePerson(request.params.personId, request.body.confirmEmail, { id: viewerOf(request).id });
      if (result.ok) return { sessions: result.counts.sessions, turns: result.counts.turns, scorecards: result.counts.scorecards };
      switch (result.reason) {
        case "not-found":
          throw notFound("That person");
        case "confirmation-mismatch": {
          const message = "Type the person's e-mail address exactly to confirm the erasure.";
          throw new AppError(400, "VALIDATION_FAILED", message, [{ path: "confirmEmail", message }]);
        }
        case "last-admin":
          throw new AppError(409, "CONFLICT", "This is the last active L&D admin: make someone else an L&D admin before erasing them.");
      }
    },
  );
};
