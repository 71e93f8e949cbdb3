// An organisation's directory provisions people and teams over SCIM 2.0. The client here is
// written from RFC 7644's examples (plain JSON over HTTP, no SCIM library), and checks what Spar
// does with each request through Spar's own API: people appear, change, are deactivated (their
// sign-ins and open sockets end) and deprovisioned; groups are teams. PGlite and PostgreSQL.
import type { DatabaseKind } from "@spar/db";
import { AccountLink, AuditPage, PeoplePage, TeamDetail } from "@spar/protocol";
import { firstAdminSignIn, startTestApp } from "@spar/server/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { PracticeClient } from "../fixtures/practice-client.ts";

const token = "scim-test-token-0123456789abcdef0123456789";
const publicUrl = "https://spar.example.com";
const userSchema = "urn:ietf:params:scim:schemas:core:2.0:User";
const groupSchema = "urn:ietf:params:scim:schemas:core:2.0:Group";
const patchSchema = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const errorSchema = "urn:ietf:params:scim:api:messages:2.0:Error";
const listSchema = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

// The shapes RFC 7643/7644 define, as far as this client reads them.
const ScimError = z.object({ schemas: z.tuple([z.literal(errorSchema)]), status: z.string(), scimType: z.string().optional(), detail: z.string() });
const ScimUser = z.object({
  schemas: z.array(z.string()),
  id: z.string(),
  externalId: z.string().optional(),
  userName: z.string(),
  displayName: z.string().optional(),
  active: z.boolean(),
  meta: z.object({ resourceType: z.literal("User"), location: z.string(), created: z.string(), lastModified: z.string() }),
});
const ScimGroup = z.object({
  id: z.string(),
  displayName: z.string(),
  externalId: z.string().optional(),
  members: z.array(z.object({ value: z.string(), display: z.string().optional() })).optional(),
  meta: z.object({ resourceType: z.literal("Group"), location: z.string() }),
});
const listOf = <T extends z.ZodType>(resource: T) =>
  z.object({
    schemas: z.tuple([z.literal(listSchema)]),
    totalResults: z.number(),
    startIndex: z.number(),
    itemsPerPage: z.number(),
    Resources: z.array(resource).optional(),
  });

const tokenOf = (url: string | null) => (url ?? "").split("/").at(-1) as string;
const cookieOf = (response: { headers: Record<string, unknown> }) => String(response.headers["set-cookie"]).split(";")[0] as string;

describe.each<DatabaseKind>(["pglite", "postgresql"])("SCIM provisioning on %s", (kind) => {
  let server: Awaited<ReturnType<typeof startTestApp>>;
  let baseUrl: string;
  let admin: string;

  beforeAll(async () => {
    server = await startTestApp(kind, { environment: { SCIM_TOKEN: token, PUBLIC_URL: publicUrl } });
    baseUrl = await server.app.listen({ port: 0, host: "127.0.0.1" });
    admin = await firstAdminSignIn(server.app);
  });
  afterAll(() => server?.close());

  /** A SCIM request as RFC 7644 §3 shows them: JSON bodies as application/scim+json, a bearer token. */
  const scim = (method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE", url: string, body?: unknown, bearer: string | null = token) =>
    server.app.inject({
      method,
      url: `/scim/v2${url}`,
      headers: {
        accept: "application/scim+json",
        ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
        ...(body !== undefined ? { "content-type": "application/scim+json" } : {}),
      },
      ...(body !== undefined ? { payload: typeof body === "string" ? body : JSON.stringify(body) } : {}),
    });
  const api = (method: "GET" | "POST" | "PATCH", url: string, cookie: string | null = admin, payload?: object) =>
    server.app.inject({ method, url, headers: cookie ? { cookie } : {}, ...(payload ? { payload } : {}) });
  const errorOf = (response: { json: () => unknown }) => ScimError.parse(response.json());

  async function createUser(userName: string, extra: Record<string, unknown> = {}) {
    const response = await scim("POST", "/Users", { schemas: [userSchema], userName, ...extra });
    expect(response.statusCode, response.body).toBe(201);
    return ScimUser.parse(response.json());
  }
  async function personByEmail(email: string) {
    return PeoplePage.parse((await api("GET", `/api/people?search=${encodeURIComponent(email)}`)).json()).people.find((person) => person.email === email);
  }
  /** The person sets a password through an invitation the admin issues, and is signed in. */
  async function signInAs(id: string) {
    const link = AccountLink.parse((await api("POST", `/api/people/${id}/invitation`)).json());
    const response = await api("POST", `/api/account-links/${tokenOf(link.url)}`, null, { password: "correct horse battery staple" });
    expect(response.statusCode, response.body).toBe(200);
    return cookieOf(response);
  }

  it("describes itself: ServiceProviderConfig, ResourceTypes and Schemas, as application/scim+json", async () => {
    const config = await scim("GET", "/ServiceProviderConfig");
    expect(config.statusCode).toBe(200);
    expect(config.headers["content-type"]).toMatch(/^application\/scim\+json/);
    expect(config.json()).toMatchObject({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
      patch: { supported: true },
      filter: { supported: true, maxResults: 200 },
      bulk: { supported: false },
      authenticationSchemes: [{ type: "oauthbearertoken" }],
    });
    const types = listOf(z.object({ id: z.string(), endpoint: z.string(), schema: z.string() })).parse((await scim("GET", "/ResourceTypes")).json());
    expect(types.Resources?.map((type) => [type.id, type.endpoint, type.schema])).toEqual([
      ["User", "/Users", userSchema],
      ["Group", "/Groups", groupSchema],
    ]);
    expect((await scim("GET", "/ResourceTypes/User")).json()).toMatchObject({ id: "User", meta: { location: `${publicUrl}/scim/v2/ResourceTypes/User` } });
    const schemas = listOf(z.object({ id: z.string(), attributes: z.array(z.object({ name: z.string() })) })).parse((await scim("GET", "/Schemas")).json());
    expect(schemas.Resources?.map((schema) => schema.id)).toEqual(expect.arrayContaining([userSchema, groupSchema]));
    const user = await scim("GET", `/Schemas/${userSchema}`);
    expect(user.json()).toMatchObject({ id: userSchema, attributes: expect.arrayContaining([expect.objectContaining({ name: "userName" })]) });
  });

  it("creates a user from RFC 7644 §3.3's example: an invited learner in Spar", async () => {
    const response = await scim("POST", "/Users", {
      schemas: [userSchema],
      userName: "BJensen@Example.com",
      externalId: "bjensen",
      name: { formatted: "Ms. Barbara J Jensen III", familyName: "Jensen", givenName: "Barbara" },
    });
    expect(response.statusCode, response.body).toBe(201);
    const user = ScimUser.parse(response.json());
    expect(user).toMatchObject({ userName: "bjensen@example.com", externalId: "bjensen", active: true, schemas: [userSchema] });
    expect(user.meta.location).toBe(`${publicUrl}/scim/v2/Users/${user.id}`);
    expect(response.headers.location).toBe(user.meta.location);

    const person = await personByEmail("bjensen@example.com");
    expect(person).toMatchObject({ id: user.id, name: "Ms. Barbara J Jensen III", role: "learner", status: "invited" });
    expect(ScimUser.parse((await scim("GET", `/Users/${user.id}`)).json())).toMatchObject({ id: user.id, userName: "bjensen@example.com" });
  });

  it("finds users with filter=userName eq, case-insensitively, and by externalId", async () => {
    const byName = listOf(ScimUser).parse((await scim("GET", `/Users?filter=${encodeURIComponent('userName eq "BJENSEN@example.com"')}`)).json());
    expect(byName.totalResults).toBe(1);
    expect(byName.Resources?.[0]?.userName).toBe("bjensen@example.com");
    const byExternalId = listOf(ScimUser).parse((await scim("GET", `/Users?filter=${encodeURIComponent('externalId eq "bjensen"')}`)).json());
    expect(byExternalId.Resources?.map((user) => user.userName)).toEqual(["bjensen@example.com"]);
    const none = listOf(ScimUser).parse((await scim("GET", `/Users?filter=${encodeURIComponent('userName eq "nobody@example.com"')}`)).json());
    expect(none).toMatchObject({ totalResults: 0 });

    const unknown = await scim("GET", `/Users?filter=${encodeURIComponent('title eq "Boss"')}`);
    expect(unknown.statusCode).toBe(400);
    expect(errorOf(unknown)).toMatchObject({ status: "400", scimType: "invalidFilter" });
    expect(errorOf(unknown).detail).toContain("title");
  });

  it("pages a list with startIndex and count, counting every match", async () => {
    for (const n of [1, 2, 3, 4, 5]) await createUser(`paging.${n}@example.com`);
    const filter = encodeURIComponent('userName sw "paging."');
    const second = listOf(ScimUser).parse((await scim("GET", `/Users?filter=${filter}&startIndex=2&count=2`)).json());
    expect(second).toMatchObject({ totalResults: 5, startIndex: 2, itemsPerPage: 2 });
    expect(second.Resources?.map((user) => user.userName)).toEqual(["paging.2@example.com", "paging.3@example.com"]);
    const last = listOf(ScimUser).parse((await scim("GET", `/Users?filter=${filter}&startIndex=5&count=2`)).json());
    expect(last.Resources?.map((user) => user.userName)).toEqual(["paging.5@example.com"]);
    const countOnly = listOf(ScimUser).parse((await scim("GET", `/Users?filter=${filter}&count=0`)).json());
    expect(countOnly.totalResults).toBe(5);
    expect(countOnly.Resources ?? []).toEqual([]);
    expect((await scim("GET", "/Users?count=many")).statusCode).toBe(400);
  });

  it("replaces a user with PUT: new e-mail and name in Spar", async () => {
    const user = await createUser("old.name@example.com", { displayName: "Old Name" });
    const response = await scim("PUT", `/Users/${user.id}`, {
      schemas: [userSchema],
      id: user.id,
      userName: "new.name@example.com",
      displayName: "New Name",
      externalId: "new-name",
      active: true,
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(ScimUser.parse(response.json())).toMatchObject({ userName: "new.name@example.com", displayName: "New Name", externalId: "new-name" });
    expect(await personByEmail("new.name@example.com")).toMatchObject({ id: user.id, name: "New Name" });
    expect(await personByEmail("old.name@example.com")).toBeUndefined();
  });

  it("changes a name by PATCH of name.givenName and name.familyName", async () => {
    const user = await createUser("given.family@example.com", { name: { givenName: "Given", familyName: "Family" } });
    const response = await scim("PATCH", `/Users/${user.id}`, {
      schemas: [patchSchema],
      Operations: [
        { op: "replace", path: "name.givenName", value: "Renamed" },
        { op: "replace", path: "name.familyName", value: "Person" },
      ],
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(await personByEmail("given.family@example.com")).toMatchObject({ name: "Renamed Person" });
  });

  it("answers a taken userName with 409 uniqueness", async () => {
    const response = await scim("POST", "/Users", { schemas: [userSchema], userName: "bjensen@EXAMPLE.com" });
    expect(response.statusCode).toBe(409);
    expect(errorOf(response)).toMatchObject({ status: "409", scimType: "uniqueness" });
    expect(errorOf(response).detail).toContain("bjensen@example.com");
  });

  it("refuses bodies of the wrong shape with 400 and a message naming what is wrong, writing nothing", async () => {
    const before = PeoplePage.parse((await api("GET", "/api/people?limit=1")).json()).total;
    const cases: [unknown, string, RegExp][] = [
      [{ schemas: [userSchema], userName: 42 }, "invalidValue", /userName/],
      [{ schemas: [userSchema], name: { givenName: "No" } }, "invalidValue", /userName/],
      [{ schemas: [userSchema], userName: "not-an-email" }, "invalidValue", /e-mail/],
      [{ schemas: [userSchema], userName: "shape@example.com", name: "Just a string" }, "invalidValue", /name/],
      [[{ userName: "array@example.com" }], "invalidSyntax", /single complex value/],
      ['{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": ', "invalidSyntax", /JSON/],
    ];
    for (const [body, scimType, detail] of cases) {
      const response = await scim("POST", "/Users", body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(errorOf(response)).toMatchObject({ status: "400", scimType });
      expect(errorOf(response).detail).toMatch(detail);
    }
    const user = await createUser("patch.shape@example.com");
    const badOp = await scim("PATCH", `/Users/${user.id}`, { schemas: [patchSchema], Operations: [{ op: "explode", path: "active" }] });
    expect(badOp.statusCode).toBe(400);
    expect(errorOf(badOp).detail).toContain("explode");
    const badPath = await scim("PATCH", `/Users/${user.id}`, { schemas: [patchSchema], Operations: [{ op: "replace", path: "shoeSize", value: 9 }] });
    expect(errorOf(badPath)).toMatchObject({ status: "400", scimType: "invalidPath" });
    expect(PeoplePage.parse((await api("GET", "/api/people?limit=1")).json()).total).toBe(before + 1);
  });

  it("needs the bearer token: a missing or wrong one gets 401, an unknown id 404", async () => {
    for (const bearer of [null, "wrong-token-wrong-token-wrong-token"]) {
      const response = await scim("GET", "/Users", undefined, bearer);
      expect(response.statusCode).toBe(401);
      expect(response.headers["www-authenticate"]).toMatch(/^Bearer/);
      expect(errorOf(response)).toMatchObject({ status: "401" });
    }
    const unknown = await scim("GET", "/Users/0190a7a0-0000-7000-8000-000000000000");
    expect(unknown.statusCode).toBe(404);
    expect(errorOf(unknown)).toMatchObject({ status: "404" });
    expect((await scim("GET", "/Users/not-a-uuid")).statusCode).toBe(404);
    expect(errorOf(await scim("GET", "/Nothing"))).toMatchObject({ status: "404" });
  });

  it("deactivates by PATCH active false: the person's cookie stops working and their open socket closes", async () => {
    const user = await createUser("leaving.soon@example.com", { displayName: "Leaving Soon" });
    const cookie = await signInAs(user.id);
    const socket = await PracticeClient.connect(baseUrl, cookie);
    const response = await scim("PATCH", `/Users/${user.id}`, { schemas: [patchSchema], Operations: [{ op: "replace", path: "active", value: false }] });
    expect(response.statusCode, response.body).toBe(200);
    expect(ScimUser.parse(response.json()).active).toBe(false);
    expect(await socket.closed).toMatchObject({ code: 4001 });
    expect((await api("GET", "/api/auth/me", cookie)).statusCode).toBe(401);
    expect(await personByEmail("leaving.soon@example.com")).toMatchObject({ status: "deactivated" });

    const again = await scim("PATCH", `/Users/${user.id}`, { schemas: [patchSchema], Operations: [{ op: "replace", path: "active", value: true }] });
    expect(ScimUser.parse(again.json()).active).toBe(true);
    expect((await api("POST", "/api/auth/sign-in", null, { email: "leaving.soon@example.com", password: "correct horse battery staple" })).statusCode).toBe(200);
  });

  it("reads the Entra ID and Okta forms of deactivation: a value object, a capitalised op, a \"False\" string", async () => {
    const variants = [
      [{ op: "Replace", value: { active: false } }],
      [{ op: "Replace", path: "active", value: "False" }],
      [{ op: "replace", value: { active: "false" } }],
    ];
    for (const [index, operations] of variants.entries()) {
      const user = await createUser(`variant.${index}@example.com`);
      const response = await scim("PATCH", `/Users/${user.id}`, { schemas: [patchSchema], Operations: operations });
      expect(response.statusCode, response.body).toBe(200);
      expect(await personByEmail(`variant.${index}@example.com`), JSON.stringify(operations)).toMatchObject({ status: "deactivated" });
    }
  });

  it("never deactivates the last L&D admin, whoever asks", async () => {
    const found = listOf(ScimUser).parse((await scim("GET", `/Users?filter=${encodeURIComponent('userName eq "ines.admin@example.com"')}`)).json());
    const adminId = found.Resources?.[0]?.id as string;
    const response = await scim("PATCH", `/Users/${adminId}`, { schemas: [patchSchema], Operations: [{ op: "replace", path: "active", value: false }] });
    expect(response.statusCode).toBe(400);
    expect(errorOf(response)).toMatchObject({ scimType: "mutability" });
    expect((await scim("DELETE", `/Users/${adminId}`)).statusCode).toBe(400);
    expect((await api("GET", "/api/auth/me")).statusCode).toBe(200);
  });

  it("deletes a user: deprovisioned and deactivated, gone from SCIM, kept in Spar until erased; provisioning again restores them", async () => {
    const user = await createUser("gone.user@example.com", { displayName: "Gone User", externalId: "gone-1" });
    const cookie = await signInAs(user.id);
    const deleted = await scim("DELETE", `/Users/${user.id}`);
    expect(deleted.statusCode).toBe(204);
    expect((await api("GET", "/api/auth/me", cookie)).statusCode).toBe(401);
    expect((await scim("GET", `/Users/${user.id}`)).statusCode).toBe(404);
    expect((await scim("DELETE", `/Users/${user.id}`)).statusCode).toBe(404);
    expect((await scim("PATCH", `/Users/${user.id}`, { schemas: [patchSchema], Operations: [{ op: "replace", path: "active", value: true }] })).statusCode).toBe(404);
    const listed = listOf(ScimUser).parse((await scim("GET", `/Users?filter=${encodeURIComponent('userName eq "gone.user@example.com"')}`)).json());
    expect(listed.totalResults).toBe(0);
    expect(await personByEmail("gone.user@example.com")).toMatchObject({ id: user.id, status: "deactivated" });

    const back = await createUser("gone.user@example.com", { displayName: "Gone User" });
    expect(back).toMatchObject({ id: user.id, active: true });
  });

  it("provisions groups as teams: members added and removed by PATCH, as /api/admin/teams shows", async () => {
    const [first, second, third] = [await createUser("member.one@example.com"), await createUser("member.two@example.com"), await createUser("member.three@example.com")];
    const teamOf = async (id: string) => z.object({ teams: z.array(TeamDetail) }).parse((await api("GET", "/api/admin/teams")).json()).teams.find((team) => team.id === id);

    const created = await scim("POST", "/Groups", {
      schemas: [groupSchema],
      displayName: "Tour Guides",
      externalId: "tour-guides",
      members: [{ value: first?.id }, { value: second?.id }],
    });
    expect(created.statusCode, created.body).toBe(201);
    const group = ScimGroup.parse(created.json());
    expect(group.meta.location).toBe(`${publicUrl}/scim/v2/Groups/${group.id}`);
    expect(await teamOf(group.id)).toMatchObject({ name: "Tour Guides", memberCount: 2 });
    expect(await personByEmail("member.one@example.com")).toMatchObject({ team: { id: group.id, name: "Tour Guides" } });

    // RFC 7644 §3.5.2.1: add a member.
    const added = await scim("PATCH", `/Groups/${group.id}`, { schemas: [patchSchema], Operations: [{ op: "add", path: "members", value: [{ value: third?.id, display: "Three" }] }] });
    expect(added.statusCode, added.body).toBe(200);
    expect(await teamOf(group.id)).toMatchObject({ memberCount: 3 });
    // RFC 7644 §3.5.2.2: remove one member by a value filter in the path.
    const removed = await scim("PATCH", `/Groups/${group.id}`, { schemas: [patchSchema], Operations: [{ op: "remove", path: `members[value eq "${first?.id}"]` }] });
    expect(removed.statusCode, removed.body).toBe(200);
    expect(await teamOf(group.id)).toMatchObject({ memberCount: 2 });
    // Entra ID's form: remove with the member in the value, and a rename.
    const entra = await scim("PATCH", `/Groups/${group.id}`, {
      schemas: [patchSchema],
      Operations: [
        { op: "Remove", path: "members", value: [{ value: second?.id }] },
        { op: "Replace", path: "displayName", value: "Tour Leaders" },
      ],
    });
    expect(entra.statusCode, entra.body).toBe(200);
    expect(ScimGroup.parse(entra.json()).members?.map((member) => member.value)).toEqual([third?.id]);
    expect(await teamOf(group.id)).toMatchObject({ name: "Tour Leaders", memberCount: 1 });

    const byName = listOf(ScimGroup).parse((await scim("GET", `/Groups?filter=${encodeURIComponent('displayName eq "tour leaders"')}`)).json());
    expect(byName.Resources?.map((each) => each.id)).toEqual([group.id]);
    expect(ScimUser.extend({ groups: z.array(z.object({ value: z.string() })) }).parse((await scim("GET", `/Users/${third?.id}`)).json()).groups).toEqual([
      expect.objectContaining({ value: group.id }),
    ]);

    const deleted = await scim("DELETE", `/Groups/${group.id}`);
    expect(deleted.statusCode).toBe(204);
    expect((await scim("GET", `/Groups/${group.id}`)).statusCode).toBe(404);
    expect(await teamOf(group.id)).toBeUndefined();
  });

  it("refuses a group with an unknown member or a taken name, creating no team", async () => {
    const teamsBefore = z.object({ teams: z.array(TeamDetail) }).parse((await api("GET", "/api/admin/teams")).json()).teams.length;
    const unknown = await scim("POST", "/Groups", { schemas: [groupSchema], displayName: "Ghosts", members: [{ value: "0190a7a0-0000-7000-8000-000000000000" }] });
    expect(unknown.statusCode).toBe(400);
    expect(errorOf(unknown)).toMatchObject({ scimType: "invalidValue" });
    expect(errorOf(unknown).detail).toContain("0190a7a0-0000-7000-8000-000000000000");
    expect((await scim("POST", "/Groups", { schemas: [groupSchema], displayName: "Unique Team" })).statusCode).toBe(201);
    const taken = await scim("POST", "/Groups", { schemas: [groupSchema], displayName: "Unique Team" });
    expect(taken.statusCode).toBe(409);
    expect(errorOf(taken)).toMatchObject({ scimType: "uniqueness" });
    expect(z.object({ teams: z.array(TeamDetail) }).parse((await api("GET", "/api/admin/teams")).json()).teams.length).toBe(teamsBefore + 1);
  });

  it("writes every SCIM change to the audit log as made via SCIM", async () => {
    const deactivations = AuditPage.parse((await api("GET", "/api/audit?action=person.deactivated")).json());
    const bySCIM = deactivations.entries.filter((entry) => entry.subject?.name === "Leaving Soon");
    expect(bySCIM[0]).toMatchObject({ actor: null, details: { via: "scim" } });
    for (const action of ["person.created", "person.deprovisioned", "person.restored", "team.created", "team.members_changed", "team.deleted"]) {
      const entries = AuditPage.parse((await api("GET", `/api/audit?action=${action}`)).json()).entries;
      expect(entries.some((entry) => entry.details.via === "scim"), action).toBe(true);
    }
  });

  it("turns away an address that keeps sending wrong tokens, even once it sends the right one", async () => {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 25; attempt++) statuses.push((await scim("GET", "/Users", undefined, `guess-${attempt}`)).statusCode);
    // Earlier tests sent a few wrong tokens too; from the first refusal on, every answer is one.
    const firstRefusal = statuses.indexOf(429);
    expect(statuses.slice(0, firstRefusal)).toEqual(Array(firstRefusal).fill(401));
    expect(firstRefusal).toBeGreaterThanOrEqual(15);
    expect(statuses.slice(firstRefusal)).toEqual(Array(25 - firstRefusal).fill(429));
    const right = await scim("GET", "/Users");
    expect(right.statusCode).toBe(429);
    expect(right.headers["retry-after"]).toMatch(/^\d+$/);
  });
});

describe("SCIM without SCIM_TOKEN", () => {
  let server: Awaited<ReturnType<typeof startTestApp>>;
  beforeAll(async () => {
    server = await startTestApp("pglite");
  });
  afterAll(() => server?.close());

  it("answers every SCIM route with 501 and a SCIM error saying it is not configured", async () => {
    for (const url of ["/scim/v2/Users", "/scim/v2/ServiceProviderConfig", "/scim/v2/Groups/x"]) {
      const response = await server.app.inject({ method: "GET", url, headers: { authorization: "Bearer anything-at-all" } });
      expect(response.statusCode, url).toBe(501);
      expect(response.headers["content-type"]).toMatch(/^application\/scim\+json/);
      expect(ScimError.parse(response.json()).detail).toContain("SCIM_TOKEN");
    }
  });
});
