import { learnerHistory, learnerWorkAccess, mayRescoreProgramme, personBrief, readPracticeSession, rescoreRight } from "@spar/domain";
import {
  LearnerHistory,
  LearnerParams,
  PersonBriefQuery,
  PersonBriefView,
  ProgrammeRescoreRequest,
  ProgrammeRescoreResult,
  RescoreRequest,
  ScorecardView,
  SessionParams,
} from "@spar/protocol";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { AppError, forbidden, notFound } from "../../app-error.ts";
import type { LibraryHolder } from "../../library/library-holder.ts";
import { viewerOf } from "../../plugins/access-control.ts";
import { scorecardViews } from "../../scoring/scorecard-reader.ts";
import type { ScoringQueue } from "../../scoring/scoring-queue.ts";
import type { Services } from "../../services.ts";

export interface ScorecardRouteOptions {
  services: Services;
  library: LibraryHolder;
  scoringQueue: ScoringQueue;
}


export const scorecardRoutes: FastifyPluginAsyncZod<ScorecardRouteOptions> = async (app, { services, library, scoringQueue }) => {
  const readDeps = { sessions: services.sessionViews, teams: services.teams, audit: services.audit };

  app.get(
    "/api/practice-sessions/:sessionId/scorecards",
    { config: { access: "signed-in" }, schema: { params: SessionParams, response: { 200: z.object({ scorecards: z.array(ScorecardView) }) } } },
    async (request) => {
      // Scorecards quote the transcript, so they follow the transcript's access rules (and audit).
      const read = await readPracticeSession(readDeps, viewerOf(request), request.params.sessionId, "scorecard.read");
      if (!read.ok) throw read.reason === "not-found" ? notFound("This practice session") : forbidden();
      return { scorecards: await scorecardViews(services.scoringStore, library.library, request.params.sessionId, services.adjudications) };
    },
  );

  app.post(
    "/api/practice-sessions/:sessionId/rescore",
    {
      // Who may rescore is the domain's rescoreRight: the person's manager, or the person when
      // scoring gave up. L&D rescores a whole rubric's sessions from the programme instead.
      config: { access: "signed-in" },
      schema: {
        params: SessionParams,
        body: RescoreRequest,
        response: { 202: z.object({ queued: z.literal(true) }) },
      },
    },
    async (request, reply) => {
      const viewer = viewerOf(request);
      const session = await services.sessionViews.findSessionView(request.params.sessionId);
      const right = session ? rescoreRight(viewer, session.learner.id, await services.teams.managersOf(session.learner.id)) : "none";
      // A session this viewer may not rescore answers as an unknown one: the id tells nothing.
      if (!session || right === "none") throw notFound("This practice session");
      const onlyFailed = right === "failed-only";
      if (onlyFailed && request.body.rubric === "latest") throw forbidden("Your manager can rescore with the latest rubric.");
      const latest = library.library.rubrics.get(session.rubric.id);
      const hash = request.body.rubric === "latest" ? (latest?.contentHash ?? null) : null;
      if (request.body.rubric === "latest" && !hash) throw notFound(`Rubric "${session.rubric.id}" in the current library`);
      const queued = await services.scoringStore.requestRescore(session.id, hash, new Date(), onlyFailed);
      if (!queued) {
        throw new AppError(
          409,
          "CONFLICT",
          onlyFailed
            ? "You can ask for a score again only when scoring your conversation has failed."
            : "Only an ended session that is not being scored right now, and whose transcript is kept, can be rescored.",
        );
      }
      await scoringQueue.enqueue(session.id);
      return reply.status(202).send({ queued: true });
    },
  );

  app.post(
    "/api/programme/rescore",
    { config: { access: "signed-in" }, schema: { body: ProgrammeRescoreRequest, response: { 202: ProgrammeRescoreResult } } },
    async (request, reply) => {
      const viewer = viewerOf(request);
      if (!mayRescoreProgramme(viewer)) throw forbidden("Only L&D admins rescore a rubric's sessions.");
      const { rubricId, rubric } = request.body;
      const latest = library.library.rubrics.get(rubricId);
      if (rubric === "latest" && !latest) throw notFound(`Rubric "${rubricId}" in the current library`);
      const queued = await services.scoringStore.requestRubricRescore(rubricId, rubric === "latest" ? (latest?.contentHash ?? null) : null, new Date());
      for (const sessionId of queued) await scoringQueue.enqueue(sessionId);
      // Who was rescored is not the programme's business: the record names the rubric and the count.
      await services.audit.record({ actorId: viewer.id, action: "rubric.rescore", subjectUserId: null, resourceType: "rubric", resourceId: rubricId, details: { rubric, queued: queued.length } });
      return reply.status(202).send({ queued: queued.length });
    },
  );

  app.get(
    "/api/learners/:learnerId/history",
    { config: { access: "signed-in" }, schema: { params: LearnerParams, response: { 200: LearnerHistory } } },
    async (request) => {
      const viewer = viewerOf(request);
      const { learnerId } = request.params;
      if (learnerWorkAccess(viewer, learnerId, await services.teams.managersOf(learnerId)) === "denied") throw forbidden();
      const learner = await services.history.learner(learnerId);
      if (!learner) throw notFound("This person");
      return learnerHistory(learner, await services.history.sessionsOf(learnerId));
    },
  );

  app.get(
    "/api/people/:learnerId/brief",
    {
      config: { access: "signed-in" },
      schema: {
        params: LearnerParams,
        querystring: PersonBriefQuery,
        response: { 200: PersonBriefView },
      },
    },
    async (request) => {
      const viewer = viewerOf(request);
      const { learnerId } = request.params;
      const access = learnerWorkAccess(viewer, learnerId, await services.teams.managersOf(learnerId));
      if (access === "denied") throw forbidden();
      const learner = await services.history.learner(learnerId);
      if (!learner) throw notFound("This person");
      if (access === "as-manager") {
        // The brief quotes the person's transcripts, so a manager's read is on the record.
        await services.audit.record({ actorId: viewer.id, action: "brief.read", subjectUserId: learnerId, resourceType: "person-brief", resourceId: learnerId });
      }
      const [scorecards, sessions, assignments] = await Promise.all([
        services.history.scorecardsOf(learnerId, 10),
        services.history.sessionsOf(learnerId),
        services.assignments.forLearner(learnerId),
      ]);
      const brief = personBrief(learner, scorecards, learnerHistory(learner, sessions), assignments, library.library, {
        recent: 10,
        stuckAfter: request.query.stuckAfter,
        now: new Date(),
      });
      return brief;
    },
  );
};
