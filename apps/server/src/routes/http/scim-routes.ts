import type { PeopleService, ProvisioningDirectory } from "@spar/domain";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import SCIMMY from "scimmy";
import { BearerGate } from "../../scim/bearer-gate.ts";
import { withBooleanActive } from "../../scim/provider-quirks.ts";
import { defaultCount, listPageOf, scimError } from "../../scim/scim-paging.ts";
import { declareScimResources, scimBasePath, type ScimRequestContext } from "../../scim/scim-resources.ts";
import { ScimGroups } from "../../scim/scim-groups.ts";
import { ScimUsers } from "../../scim/scim-users.ts";

export interface ScimRouteOptions {
  people: PeopleService;
  directory: ProvisioningDirectory;
  /** SCIM_TOKEN; null when SCIM is not configured, and then every route says so. */
  token: string | null;
  publicUrl: URL;
}

const scimJson = "application/scim+json; charset=utf-8";
const access = { access: "public" } as const;
// A group of a few thousand members, as Entra ID and Okta send it, fits; the app's default would not.
const bodyLimit = 1024 * 1024;
// Ids are UUIDs; anything else cannot name a resource and must not reach scimmy's id filter.
const idShape = /^[\w-]{1,64}$/;

type Query = Record<string, unknown>;
type ResourceClass = typeof SCIMMY.Resources.User | typeof SCIMMY.Resources.Group;

/** What scimmy's resource constructors read from a query: the filter and which attributes to return. */
function resourceConfig(query: Query, options: { filter: boolean }): { filter?: string; attributes?: string; excludedAttributes?: string } {
  const keys = options.filter ? (["filter", "attributes", "excludedAttributes"] as const) : (["attributes", "excludedAttributes"] as const);
  const config: { filter?: string; attributes?: string; excludedAttributes?: string } = {};
  for (const key of keys) {
    const value = query[key];
    if (value === undefined) continue;
    if (typeof value !== "string") throw scimError(400, key === "filter" ? "invalidFilter" : "invalidValue", `Send ${key} once.`);
    config[key] = value;
  }
  return config;
}

/** scimmy writes locations from its base path; the directory needs them absolute (RFC 7643 §3.1). */
function withAbsoluteLocations(body: unknown, publicUrl: URL): unknown {
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk);
    if (typeof value !== "object" || value === null) return value;
    return Object.fromEntries(
      Object.entries(value).map(([key, each]) =>
        key === "location" && typeof each === "string" && each.startsWith("/") ? [key, new URL(each, publicUrl).href] : [key, walk(each)],
      ),
    );
  };
  return walk(JSON.parse(JSON.stringify(body)));
}

function errorBody(status: number, scimType: string | undefined, detail: string) {
  try {
    // scimmy's own message, for the statuses RFC 7644 §3.12 lists.
    return new SCIMMY.Messages.ErrorResponse({ status, scimType, detail } as SCIMMY.Messages.ErrorResponse.CauseDetails);
  } catch {
    return { schemas: [SCIMMY.Messages.ErrorResponse.id], status: String(status), ...(scimType ? { scimType } : {}), detail };
  }
}

/**
 * SCIM 2.0 (RFC 7643/7644) at /scim/v2 for an organisation's identity provider: Users are Spar's
 * people, Groups are its teams. scimmy parses bodies, filters and PATCH operations and formats
 * every message; this plugin only carries them over HTTP, checks the bearer token and answers
 * every failure as a SCIM error body.
 */
export async function scimRoutes(app: FastifyInstance, options: ScimRouteOptions) {
  await app.register(scimApi, { ...options, prefix: scimBasePath });
}

async function scimApi(app: FastifyInstance, options: ScimRouteOptions) {
  declareScimResources();
  const actor = { id: null, via: "scim" } as const;
  const users = new ScimUsers({ people: options.people, directory: options.directory, actor });
  const groups = new ScimGroups({ people: options.people, directory: options.directory, actor });
  const gate = options.token ? new BearerGate(options.token) : null;

  const send = (reply: FastifyReply, status: number, body: unknown) =>
    reply.status(status).header("content-type", scimJson).send(JSON.stringify(withAbsoluteLocations(body, options.publicUrl)));

  app.addContentTypeParser("application/scim+json", { parseAs: "string", bodyLimit }, app.getDefaultJsonParser("error", "error"));

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof SCIMMY.Types.Error) return send(reply, error.status, errorBody(error.status, error.scimType, error.message));
    const status = error.statusCode ?? 500;
    if (status < 500) {
      // Fastify's own refusals: a body that is not JSON, an unknown content type, one too large.
      const detail = status === 400 ? `The body is not valid JSON: ${error.message}` : error.message;
      return send(reply, status, errorBody(status, status === 400 ? "invalidSyntax" : undefined, detail));
    }
    request.log.error({ err: error }, "SCIM request failed");
    return send(reply, 500, errorBody(500, undefined, "Something went wrong on Spar's side; it has been logged."));
  });

  const noEndpoint = (request: FastifyRequest, reply: FastifyReply) =>
    send(reply, 404, errorBody(404, undefined, `SCIM has no endpoint ${request.method} ${request.url}.`));
  app.setNotFoundHandler(noEndpoint);
  // The web app answers unknown GETs with its page; under /scim/v2 a directory gets a SCIM 404.
  app.all("/*", { config: access }, noEndpoint);

  app.addHook("onRequest", async (request, reply) => {
    if (!gate) throw scimError(501, null, "SCIM provisioning is not configured on this Spar server: set SCIM_TOKEN.");
    const verdict = await gate.admit(request.headers.authorization, request.ip);
    if (verdict.admitted) return;
    if (verdict.status === 429) {
      reply.header("retry-after", String(verdict.retryAfterSeconds));
      return send(reply, 429, errorBody(429, undefined, "Too many requests with a wrong token from this address; try again later."));
    }
    reply.header("www-authenticate", 'Bearer realm="Spar SCIM"');
    throw scimError(401, null, "Send the SCIM token as 'Authorization: Bearer <token>'.");
  });

  const contextOf = (request: FastifyRequest, list = false): ScimRequestContext => ({
    users,
    groups,
    page: list ? listPageOf(request.query as Query) : { startIndex: 1, count: defaultCount },
    logFailure: (error) => request.log.error({ err: error }, "SCIM handler failed"),
  });

  const idOf = (request: FastifyRequest) => {
    const { id } = request.params as { id: string };
    if (!idShape.test(id)) throw scimError(404, null, `No resource has the id '${id}'.`);
    return id;
  };

  function resourceRoutes(Resource: ResourceClass) {
    const path = Resource.endpoint;

    app.get(path, { config: access }, async (request, reply) => {
      const context = contextOf(request, true);
      const list = await new Resource(undefined, resourceConfig(request.query as Query, { filter: true })).read(context);
      // The page came from the database already offset (see showPage); say where it starts.
      if (list instanceof SCIMMY.Messages.ListResponse) list.startIndex = context.page.startIndex;
      return send(reply, 200, list);
    });

    app.get(`${path}/:id`, { config: access }, async (request, reply) => {
      return send(reply, 200, await new Resource(idOf(request), resourceConfig(request.query as Query, { filter: false })).read(contextOf(request)));
    });

    app.post(path, { config: access, bodyLimit }, async (request, reply) => {
      const created = await new Resource(undefined, resourceConfig(request.query as Query, { filter: false })).write(request.body, contextOf(request));
      const location = created.meta?.location;
      if (location) reply.header("location", new URL(location, options.publicUrl).href);
      return send(reply, 201, created);
    });

    app.put(`${path}/:id`, { config: access, bodyLimit }, async (request, reply) => {
      const resource = new Resource(idOf(request), resourceConfig(request.query as Query, { filter: false }));
      return send(reply, 200, await resource.write(request.body, contextOf(request)));
    });

    app.patch(`${path}/:id`, { config: access, bodyLimit }, async (request, reply) => {
      const id = idOf(request);
      const config = resourceConfig(request.query as Query, { filter: false });
      const context = contextOf(request);
      const patched = await new Resource(id, config).patch(withBooleanActive(request.body) as Parameters<SCIMMY.Types.Resource["patch"]>[0], context);
      // scimmy returns nothing when the operations changed nothing; the directory still gets the user.
      return send(reply, 200, patched ?? (await new Resource(id, config).read(context)));
    });

    app.delete(`${path}/:id`, { config: access }, async (request, reply) => {
      await new Resource(idOf(request)).dispose(contextOf(request));
      return reply.status(204).send();
    });
  }

  resourceRoutes(SCIMMY.Resources.User);
  resourceRoutes(SCIMMY.Resources.Group);

  app.get("/ServiceProviderConfig", { config: access }, async (_request, reply) => send(reply, 200, await new SCIMMY.Resources.ServiceProviderConfig().read()));
  app.get("/ResourceTypes", { config: access }, async (_request, reply) => send(reply, 200, await new SCIMMY.Resources.ResourceType().read()));
  app.get("/ResourceTypes/:id", { config: access }, async (request, reply) =>
    send(reply, 200, await new SCIMMY.Resources.ResourceType(idOf(request)).read()),
  );
  app.get("/Schemas", { config: access }, async (_request, reply) => send(reply, 200, await new SCIMMY.Resources.Schema().read()));
  app.get("/Schemas/:id", { config: access }, async (request, reply) => {
    const { id } = request.params as { id: string };
    return send(reply, 200, await new SCIMMY.Resources.Schema(id).read());
  });
}
