import { readPracticeSession } from "@spar/domain";
import { PracticeSessionView, SessionParams } from "@spar/protocol";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { forbidden, notFound } from "../../app-error.ts";
import { viewerOf } from "../../plugins/access-control.ts";
import type { Services } from "../../services.ts";

export const practiceSessionRoutes: FastifyPluginAsyncZod<{ services: Services }> = async (app, { services }) => {
  app.get(
    "/api/practice-sessions/:sessionId",
    {
      config: { access: "signed-in" },
      schema: {
        params: SessionParams,
        response: { 200: z.object({ session: PracticeSessionView }) },
      },
    },
    async (request) => {
      const result = await readPracticeSession(
        { sessions: services.sessionViews, teams: services.teams, audit: services.audit },
        viewerOf(request),
        request.params.sessionId,
      );
      if (result.ok) return { session: result.session };
      throw result.reason === "not-found" ? notFound("This practice session") : forbidden("This practice session belongs to someone you do not manage.");
    },
  );
};
