import type { PersonRecord, PersonWriteResult } from "@spar/domain";
import { AccountLink, NewPersonRequest, PeoplePage, PeopleQuery, Person, PersonCreated, PersonParams, UpdatePersonRequest } from "@spar/protocol";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { issueAndDeliverLink } from "../../accounts/account-link-delivery.ts";
import { AppError, notFound } from "../../app-error.ts";
import { viewerOf } from "../../plugins/access-control.ts";
import type { Services } from "../../services.ts";

export function personView(person: PersonRecord): Person {
  return { ...person, createdAt: person.createdAt.toISOString() };
}

/** The HTTP answer to a refused person write: the same words wherever people are changed. */
export function personWriteError(result: Extract<PersonWriteResult, { ok: false }>): AppError {
  switch (result.reason) {
    case "not-found":
    case "erased":
      return notFound("That person");
    case "email-taken":
      return new AppError(409, "CONFLICT", "Someone already has that e-mail address.", [{ path: "email", message: "Someone already has that e-mail address." }]);
    case "external-id-taken":
      return new AppError(409, "CONFLICT", "Another person already has that external id.");
    case "team-not-found":
      return new AppError(400, "VALIDATION_FAILED", "That team does not exist.", [{ path: "teamId", message: "That team does not exist." }]);
    case "last-admin":
      return new AppError(409, "CONFLICT", "This is the last active L&D admin: make someone else an L&D admin first.");
  }
}


/** People, for L&D admins: add, change, deactivate and reactivate, and their one-time links. */
export const peopleRoutes: FastifyPluginAsyncZod<{ services: Services; publicUrl: URL }> = async (app, { services, publicUrl }) => {
  const deliver = (person: PersonRecord, purpose: "invitation" | "password_reset", actorId: string) =>
    issueAndDeliverLink({ links: services.links, mailer: services.mailer, publicUrl, log: app.log }, person, purpose, { id: actorId });

  app.get(
    "/api/people",
    { config: { access: ["ld_admin"] }, schema: { querystring: PeopleQuery, response: { 200: PeoplePage } } },
    async (request) => {
      const page = await services.people.list(request.query);
      return { ...page, people: page.people.map(personView) };
    },
  );

  app.post(
    "/api/people",
    { config: { access: ["ld_admin"] }, schema: { body: NewPersonRequest, response: { 201: PersonCreated } } },
    async (request, reply) => {
      const viewer = viewerOf(request);
      const result = await services.people.create(request.body, { id: viewer.id });
      if (!result.ok) throw personWriteError(result);
      const link = await deliver(result.person, "invitation", viewer.id);
      return reply.status(201).send({ person: personView(result.person), link });
    },
  );

  app.get(
    "/api/people/:personId",
    { config: { access: ["ld_admin"] }, schema: { params: PersonParams, response: { 200: z.object({ person: Person }) } } },
    async (request) => {
      const person = await services.people.get(request.params.personId);
      if (!person) throw notFound("That person");
      return { person: personView(person) };
    },
  );

  app.patch(
    "/api/people/:personId",
    {
      config: { access: ["ld_admin"] },
      schema: { params: PersonParams, body: UpdatePersonRequest, response: { 200: z.object({ person: Person }) } },
    },
    async (request) => {
      const viewer = viewerOf(request);
      const result = await services.people.update(request.params.personId, request.body, { id: viewer.id });
      if (!result.ok) throw personWriteError(result);
      return { person: personView(result.person) };
    },
  );

  // A new invitation for someone who has not joined yet, or a reset link for someone who has.
  for (const [path, purpose] of [
    ["invitation", "invitation"],
    ["password-reset", "password_reset"],
  ] as const) {
    app.post(
      `/api/people/:personId/${path}`,
      { config: { access: ["ld_admin"] }, schema: { params: PersonParams, response: { 201: AccountLink } } },
      async (request, reply) => {
        const viewer = viewerOf(request);
        const person = await services.people.get(request.params.personId);
        if (!person) throw notFound("That person");
        if (person.status === "deactivated") {
          throw new AppError(409, "CONFLICT", `${person.name} is deactivated: reactivate them first.`);
        }
        if (purpose === "invitation" && person.status === "active") {
          throw new AppError(409, "CONFLICT", `${person.name} has already joined: issue a password reset link instead.`);
        }
        return reply.status(201).send(await deliver(person, purpose, viewer.id));
      },
    );
  }
};
