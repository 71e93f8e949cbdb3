import { type LevelOverrideRecord, ScoreAdjudication, type TurnCommentRecord } from "@spar/domain";
import {
  CommentOnTurnRequest,
  CriterionParams,
  LevelOverrideHistory,
  LevelOverrideView,
  ScorecardParams,
  SessionParams,
  SetLevelOverrideRequest,
  TurnComments,
  TurnCommentView,
  TurnParams,
} from "@spar/protocol";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { AppError, forbidden, notFound } from "../../app-error.ts";
import type { LibraryHolder } from "../../library/library-holder.ts";
import { viewerOf } from "../../plugins/access-control.ts";
import type { Services } from "../../services.ts";


const invalid = (field: string, problem: string) => new AppError(400, "VALIDATION_FAILED", `${field}: ${problem}`, [{ path: field, message: problem }]);

const overrideView = (override: LevelOverrideRecord & { inForce: boolean }): LevelOverrideView => ({
  id: override.id,
  scorecardId: override.scorecardId,
  criterionId: override.criterionId,
  scorerLevel: override.scorerLevel,
  level: override.level,
  reason: override.reason,
  by: override.author,
  at: override.createdAt.toISOString(),
  inForce: override.inForce,
});

const commentView = (comment: TurnCommentRecord): TurnCommentView => ({
  id: comment.id,
  sessionId: comment.sessionId,
  turn: comment.turn,
  body: comment.body,
  by: comment.author,
  at: comment.createdAt.toISOString(),
});

/**
 * Manager adjudication: set a criterion of a report's scorecard to another level with a reason,
 * read every override of a scorecard, and comment on turns of the transcript. Who may do what is
 * decided by the domain inside the transaction that writes (see ScoreAdjudication).
 */
export const adjudicationRoutes: FastifyPluginAsyncZod<{ services: Services; library: LibraryHolder }> = async (app, { services, library }) => {
  const adjudication = new ScoreAdjudication({ store: services.adjudications, teams: services.teams, library: () => library.library });

  app.post(
    "/api/scorecards/:scorecardId/criteria/:criterionId/override",
    {
      config: { access: ["manager", "ld_admin"] },
      schema: { params: CriterionParams, body: SetLevelOverrideRequest, response: { 201: z.object({ override: LevelOverrideView }) } },
    },
    async (request, reply) => {
      const { scorecardId, criterionId } = request.params;
      const result = await adjudication.overrideLevel(viewerOf(request), scorecardId, criterionId, request.body);
      if (!result.ok) {
        switch (result.reason) {
          case "invalid":
            throw invalid(result.field, result.problem);
          case "not-found":
            throw notFound("This scorecard");
          case "criterion-not-found":
            throw notFound(`Criterion "${criterionId}" on this scorecard`);
          case "forbidden":
            throw forbidden("You can adjust the levels of the people you manage; nobody adjusts their own.");
          case "unchanged":
            throw new AppError(409, "CONFLICT", `This criterion is already at level ${request.body.level}.`);
        }
      }
      return reply.status(201).send({ override: overrideView({ ...result.override, inForce: true }) });
    },
  );

  app.get(
    "/api/scorecards/:scorecardId/overrides",
    { config: { access: "signed-in" }, schema: { params: ScorecardParams, response: { 200: LevelOverrideHistory } } },
    async (request) => {
      const result = await adjudication.overrideHistory(viewerOf(request), request.params.scorecardId);
      if (!result.ok) throw result.reason === "not-found" ? notFound("This scorecard") : forbidden();
      return { overrides: result.value.map(overrideView) };
    },
  );

  app.post(
    "/api/practice-sessions/:sessionId/turns/:turn/comments",
    {
      config: { access: ["manager"] },
      schema: { params: TurnParams, body: CommentOnTurnRequest, response: { 201: z.object({ comment: TurnCommentView }) } },
    },
    async (request, reply) => {
      const { sessionId, turn } = request.params;
      const result = await adjudication.commentOnTurn(viewerOf(request), sessionId, { turn, body: request.body.body });
      if (!result.ok) {
        switch (result.reason) {
          case "invalid":
            throw invalid(result.field, result.problem);
          case "not-found":
            throw notFound("This practice session");
          case "turn-not-found":
            throw notFound(`Turn ${turn} of this conversation`);
          case "forbidden":
            throw forbidden("You can comment on the conversations of the people you manage.");
        }
      }
      return reply.status(201).send({ comment: commentView(result.comment) });
    },
  );

  app.get(
    "/api/practice-sessions/:sessionId/comments",
    { config: { access: "signed-in" }, schema: { params: SessionParams, response: { 200: TurnComments } } },
    async (request) => {
      const result = await adjudication.comments(viewerOf(request), request.params.sessionId);
      if (!result.ok) throw result.reason === "not-found" ? notFound("This practice session") : forbidden();
      return { comments: result.value.map(commentView) };
    },
  );
};
