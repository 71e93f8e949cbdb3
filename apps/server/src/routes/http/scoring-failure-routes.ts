import type { AuditLog } from "@spar/domain";
import { ScoringFailureList, ScoringRetryResult, SessionParams } from "@spar/protocol";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { AppError } from "../../app-error.ts";
import { viewerOf } from "../../plugins/access-control.ts";
import type { ScoringQueue } from "../../scoring/scoring-queue.ts";

/**
 * Scoring that failed for good (the dead letters), for the L&D admin to see and retry. The list says
 * which scenario, when the conversation ended, the error and the attempts; never the transcript.
 */
export const scoringFailureRoutes: FastifyPluginAsyncZod<{ scoringQueue: ScoringQueue; audit: AuditLog }> = async (
  app,
  { scoringQueue, audit },
) => {
  app.get(
    "/api/scoring/failures",
    { config: { access: ["ld_admin"] }, schema: { response: { 200: ScoringFailureList } } },
    async () => ({
      engine: scoringQueue.engine,
      failures: await scoringQueue.failed(),
    }),
  );

  app.post(
    "/api/scoring/failures/:sessionId/retry",
    {
      config: { access: ["ld_admin"] },
      schema: {
        params: SessionParams,
        response: { 202: ScoringRetryResult },
      },
    },
    async (request, reply) => {
      const { sessionId } = request.params;
      if (!(await scoringQueue.retry(sessionId))) {
        throw new AppError(
          409,
          "CONFLICT",
          "Only a session whose scoring failed for good, and whose transcript is kept, can be retried.",
        );
      }
      await audit.record({
        actorId: viewerOf(request).id,
        action: "scoring.retried",
        subjectUserId: null,
        resourceType: "practice-session",
        resourceId: sessionId,
      });
      return reply.status(202).send({ queued: true });
    },
  );
};
