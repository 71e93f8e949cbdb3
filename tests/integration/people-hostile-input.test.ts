// Hostile and malformed input at the people, teams, import, link, SCIM and sign-in routes: each
// gets a 4xx with a body that names the problem (Spar's error body, or SCIM's), never a 5xx.
import { firstAdminSignIn, startTestApp } from "@spar/server/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const scimToken = "s".repeat(40);

describe("hostile input to identity routes (PGlite)", () => {
  let server: Awaited<ReturnType<typeof startTestApp>>;
  let admin: string;
  let personId: string;

  beforeAll(async () => {
    server = await startTestApp("pglite", { environment: { SCIM_TOKEN: scimToken } });
    admin = await firstAdminSignIn(server.app);
    const created = await server.app.inject({ method: "POST", url: "/api/people", headers: { cookie: admin }, payload: { name: "P", email: "p@example.com", role: "learner" } });
    personId = (created.json() as { person: { id: string } }).person.id;
  });
  afterAll(() => server?.close());

  const scim = { authorization: `Bearer ${scimToken}`, "content-type": "application/scim+json" };
  const cases: [string, "GET" | "POST" | "PATCH", (id: string) => string, "admin" | "scim" | "none", string | object | ((id: string) => object) | undefined, number, RegExp][] = [
    ["body that is not JSON", "POST", () => "/api/people", "admin", "{not json", 400, /not valid JSON/],
    ["a name of 5,000 characters", "POST", () => "/api/people", "admin", { name: "x".repeat(5000), email: "a@example.com", role: "learner" }, 400, /at most 120 characters/],
    ["an address longer than mail allows", "POST", () => "/api/people", "admin", { name: "L", email: `${"a".repeat(300)}@example.com`, role: "learner" }, 400, /at most 254 characters/],
    ["a NUL in an address", "POST", () => "/api/people", "admin", { name: "N", email: "a\u0000@example.com", role: "learner" }, 400, /email/],
    ["an empty change", "PATCH", (id) => `/api/people/${id}`, "admin", {}, 400, /at least one field/],
    ["a team id that is not one", "PATCH", (id) => `/api/people/${id}`, "admin", { teamId: "not-a-uuid" }, 400, /teamId/],
    ["a learner as a team's manager", "POST", () => "/api/teams", "admin", (id: string) => ({ name: "T", managerIds: [id] }), 400, /manager role/],
    ["an audit date that is not one", "GET", () => "/api/audit?before=yesterday", "admin", undefined, 400, /before/],
    ["a page of 100,000", "GET", () => "/api/audit?limit=100000", "admin", undefined, 400, /limit/],
    ["a path where a link token goes", "GET", () => "/api/account-links/%2e%2e%2f%2e%2e", "none", undefined, 400, /not a link token/],
    ["a password that is a number", "POST", () => `/api/account-links/${"a".repeat(43)}`, "none", { password: 12 }, 400, /password/],
    ["control characters for a CSV", "POST", () => "/api/people/import", "admin", '\u0000\u0001,"\n"""email', 400, /line 1, column 1: contains a NUL character/],
    ["a CSV address of 100,000 characters", "POST", () => "/api/people/import", "admin", `email,name,role\n${"a".repeat(100_000)}@x.com,N,learner\n`, 422, /line 2/],
    ["an erasure confirmed with a list", "POST", (id) => `/api/people/${id}/erase`, "admin", { confirmEmail: ["p@example.com"] }, 400, /confirmEmail/],
    ["a SCIM user of the wrong shape", "POST", () => "/scim/v2/Users", "scim", { schemas: [], userName: 5 }, 400, /urn:ietf:params:scim:api:messages:2.0:Error/],
    ["a SCIM body that is not JSON", "POST", () => "/scim/v2/Users", "scim", "{{{{", 400, /invalidSyntax/],
    ["an unknown SCIM PATCH operation", "PATCH", (id) => `/scim/v2/Users/${id}`, "scim", { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "explode", path: "x" }] }, 400, /scimType/],
    ["a NUL in a SCIM user's name", "POST", () => "/scim/v2/Users", "scim", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "nul@example.com", displayName: "N\u0000ul" }, 400, /invalidValue.*NUL character/],
    ["a NUL in a SCIM group's name", "POST", () => "/scim/v2/Groups", "scim", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "Team\u0000" }, 400, /invalidValue.*NUL character/],
    ["a NUL in a SCIM filter", "GET", () => '/scim/v2/Users?filter=userName eq "a%00b"', "scim", undefined, 400, /invalidFilter.*NUL character/],
    ["a SCIM filter cut short", "GET", () => '/scim/v2/Users?filter=userName eq "a" and (', "scim", undefined, 400, /invalidFilter/],
    ["an SSO callback where SSO is off", "GET", () => "/api/auth/oidc/callback?code=x&state=y", "none", undefined, 404, /not configured/],
    ["a sign-in with an address of 500 characters", "POST", () => "/api/auth/sign-in", "none", { email: "a@b.c".repeat(100), password: "x" }, 400, /email/],
  ];

  it.each(cases)("refuses %s with a clear 4xx", async (_name, method, url, who, payload, status, expected) => {
    const headers: Record<string, string> = who === "admin" ? { cookie: admin } : who === "scim" ? { ...scim } : {};
    if (typeof payload === "string" && who === "admin") headers["content-type"] = url(personId).endsWith("/import") ? "text/csv" : "application/json";
    const body = typeof payload === "function" ? payload(personId) : payload;
    const response = await server.app.inject({ method, url: url(personId), headers, ...(body === undefined ? {} : { payload: body as string }) });
    expect(response.statusCode, response.body.slice(0, 300)).toBe(status);
    expect(response.body).toMatch(expected);
  });
});
