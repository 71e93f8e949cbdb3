import { type PracticeService, readPracticeSession } from "@spar/domain";
import { OpenSessionView, PracticeSessionView, SessionParams, TurnParams } from "@spar/protocol";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { AppError, forbidden, notFound } from "../../app-error.ts";
import type { LibraryHolder } from "../../library/library-holder.ts";
import { viewerOf } from "../../plugins/access-control.ts";
import type { Services } from "../../services.ts";

export interface PracticeSessionRouteOptions {
  services: Services;
  practice: PracticeService;
  library: LibraryHolder;
  /** Tells the sockets following a session, on any process, that it ended. */
  announceEnded: (sessionId: string) => void;
}

export const practiceSessionRoutes: FastifyPluginAsyncZod<PracticeSessionRouteOptions> = async (app, { services, practice, library, announceEnded }) => {
  // Registered before /:sessionId, whose id must be a UUID: "open" is not one.
  app.get(
    "/api/practice-sessions/open",
    {
      config: { access: "signed-in" },
      schema: { response: { 200: z.object({ sessions: z.array(OpenSessionView) }) } },
    },
    async (request) => {
      const open = await practice.openSessions(viewerOf(request).id);
      return {
        sessions: open.map((each) => ({
          ...each,
          startedAt: each.startedAt.toISOString(),
          lastActivityAt: each.lastActivityAt.toISOString(),
          assessment: library.library.scenarios.get(each.scenarioId)?.value.assessment !== undefined,
        })),
      };
    },
  );

  app.post(
    "/api/practice-sessions/:sessionId/discard",
    {
      config: { access: "signed-in" },
      schema: { params: SessionParams, response: { 200: z.object({ discarded: z.literal(true) }) } },
    },
    async (request) => {
      const outcome = await practice.discard(viewerOf(request).id, request.params.sessionId);
      if (outcome.ok) {
        announceEnded(request.params.sessionId);
        return { discarded: true as const };
      }
      // Someone else's session is answered as one that does not exist.
      if (outcome.reason === "not-found") throw notFound("This practice session");
      if (outcome.reason === "assessment") {
        throw new AppError(409, "CONFLICT", "This is an assessment: it cannot be discarded. End it instead; it is scored, or counted as too short to score.");
      }
      throw new AppError(409, "CONFLICT", "This practice session has already ended.");
    },
  );

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

  // A spoken turn's audio, where it was kept (SPAR_KEEP_AUDIO): for the learner, or their manager
  // (audited as turn-audio.played, like reading the transcript).
  app.get(
    "/api/practice-sessions/:sessionId/turns/:turn/audio",
    {
      config: { access: "signed-in" },
      schema: { params: TurnParams },
    },
    async (request, reply) => {
      const { sessionId, turn: seq } = request.params;
      const result = await readPracticeSession(
        { sessions: services.sessionViews, teams: services.teams, audit: services.audit },
        viewerOf(request),
        sessionId,
        "turn-audio.played",
      );
      if (!result.ok) throw result.reason === "not-found" ? notFound("This practice session") : forbidden("This practice session belongs to someone you do not manage.");
      const audio = await services.turnAudio.find(sessionId, seq);
      if (!audio) throw notFound("Audio of this turn (it is kept only where the server keeps audio)");
      return reply
        .header("content-type", "audio/wav")
        .header("cache-control", "private, no-store")
        .header("content-length", audio.wav.byteLength)
        .send(Buffer.from(audio.wav));
    },
  );
};
