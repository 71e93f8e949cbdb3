// Single sign-on with OpenID Connect against a real provider (oidc-provider on 127.0.0.1): the
// whole authorization code flow with PKCE, state and nonce; who is let in (a known person by
// verified e-mail or linked subject, a newcomer from an allowed domain) and who is refused, each
// with a reason the sign-in page explains; password sign-in switched off; a provider that is down.
// Spar is reached by inject; Spar reaches the provider over real HTTP.
import { createServer as createHttpServer } from "node:http";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import type { DatabaseKind } from "@spar/db";
import { AuditPage, ErrorBody, PersonCreated, SignInOptions } from "@spar/protocol";
import { firstAdminSignIn, startTestApp } from "@spar/server/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OpenIdProvider, type ProviderAccount, startOpenIdProvider } from "../fixtures/openid-provider.ts";

type SparServer = Awaited<ReturnType<typeof startTestApp>>;

// Only Spar's callback address matters to the provider; Spar itself is reached by inject.
const publicUrl = "http://spar.test";
const callbackUrl = `${publicUrl}/api/auth/oidc/callback`;
const client = { clientId: "spar", clientSecret: "a client secret for the test provider" };

function ssoEnvironment(issuer: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PUBLIC_URL: publicUrl,
    OIDC_ISSUER: issuer,
    OIDC_CLIENT_ID: client.clientId,
    OIDC_CLIENT_SECRET: client.clientSecret,
    OIDC_PROVIDER_NAME: "Acme Login",
    ...extra,
  };
}

/** A browser's cookie jar, shared by Spar and the provider as a browser shares one per host. */
class Browser {
  readonly cookies = new Map<string, string>();

  constructor(private readonly spar: SparServer) {}

  get cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  remember(setCookies: readonly string[]): void {
    for (const line of setCookies) {
      const [pair = "", ...attributes] = line.split(";");
      const name = pair.slice(0, pair.indexOf("=")).trim();
      const value = pair.slice(pair.indexOf("=") + 1).trim();
      const expired = attributes.some((attribute) => /^\s*(max-age=0|expires=thu, 01 jan 1970)/i.test(attribute));
      if (expired || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async atSpar(path: string) {
    const response = await this.spar.app.inject({ method: "GET", url: path, headers: { cookie: this.cookieHeader } });
    const setCookie = response.headers["set-cookie"];
    this.remember(setCookie === undefined ? [] : Array.isArray(setCookie) ? setCookie : [setCookie]);
    return response;
  }

  async atProvider(url: string) {
    const response = await fetch(url, { redirect: "manual", headers: { cookie: this.cookieHeader } });
    this.remember(response.headers.getSetCookie());
    return response;
  }
}

/** Starts at Spar's login route and follows the provider's redirects until it sends the browser back. */
async function throughProvider(browser: Browser, provider: OpenIdProvider, account: ProviderAccount, returnTo = "/") {
  provider.nextSignIn(account);
  const login = await browser.atSpar(`/api/auth/oidc/login?returnTo=${encodeURIComponent(returnTo)}`);
  expect(login.statusCode, login.body).toBe(302);
  let location = String(login.headers.location);
  const authorization = new URL(location);
  for (let hops = 0; !location.startsWith(callbackUrl); hops++) {
    expect(hops, `the provider kept redirecting, last to ${location}`).toBeLessThan(10);
    const response = await browser.atProvider(location);
    expect([302, 303], `${location} answered ${response.status}: ${await response.clone().text()}`).toContain(
      response.status,
    );
    location = new URL(String(response.headers.get("location")), location).href;
  }
  const callback = new URL(location);
  return { authorization, callbackPath: `${callback.pathname}${callback.search}` };
}

const refusedWith = (response: { statusCode: number; headers: Record<string, unknown> }, reason: string) => {
  expect(response.statusCode).toBe(302);
  expect(response.headers.location).toBe(`/sign-in?sso_error=${reason}`);
};

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

describe.each<DatabaseKind>(["pglite", "postgresql"])("single sign-on on %s", (kind) => {
  let provider: OpenIdProvider;
  let server: SparServer;
  let admin: string;

  beforeAll(async () => {
    provider = await startOpenIdProvider({ ...client, redirectUri: callbackUrl });
    server = await startTestApp(kind, {
      environment: ssoEnvironment(provider.issuer, { OIDC_ALLOWED_DOMAINS: "joiners.example, Partners.example" }),
    });
    admin = await firstAdminSignIn(server.app);
  });
  afterAll(async () => {
    await server?.close();
    await provider?.close();
  });

  const call = (cookie: string | null, method: "GET" | "POST" | "PATCH", url: string, payload?: object) =>
    server.app.inject({ method, url, headers: cookie ? { cookie } : {}, ...(payload ? { payload } : {}) });

  async function addPerson(name: string, email: string) {
    const response = await call(admin, "POST", "/api/people", { name, email, role: "learner" });
    expect(response.statusCode, response.body).toBe(201);
    return PersonCreated.parse(response.json()).person;
  }

  const userRow = (email: string) => server.database.prisma.user.findUnique({ where: { email } });

  it("offers the provider on the sign-in page beside passwords", async () => {
    const options = SignInOptions.parse((await call(null, "GET", "/api/auth/options")).json());
    expect(options).toEqual({ password: true, oidc: { name: "Acme Login", loginUrl: "/api/auth/oidc/login" } });
  });

  it("signs in a known person by verified e-mail, links their provider account and lands on returnTo", async () => {
    const maya = await addPerson("Maya Chen", "maya.chen@example.com");
    const browser = new Browser(server);
    const { authorization, callbackPath } = await throughProvider(
      browser,
      provider,
      { sub: "maya-0001", email: "Maya.Chen@Example.com", email_verified: true, name: "Maya C." },
      "/history?scenario=feedback#latest",
    );
    // PKCE with S256, a state and a nonce went to the provider; the state is bound to this browser.
    expect(authorization.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authorization.searchParams.get("code_challenge")).toMatch(/^[\w-]{43}$/);
    expect(authorization.searchParams.get("nonce")).toMatch(/^[\w-]{20,}$/);
    expect(authorization.searchParams.get("redirect_uri")).toBe(callbackUrl);
    expect(browser.cookies.get("spar_oidc_state")).toBe(authorization.searchParams.get("state"));

    const landing = await browser.atSpar(callbackPath);
    expect(landing.statusCode, landing.body).toBe(302);
    expect(landing.headers.location).toBe("/history?scenario=feedback#latest");
    expect(String(landing.headers["set-cookie"])).toMatch(/spar_session=[^;]+;.*HttpOnly/);
    expect(browser.cookies.has("spar_oidc_state")).toBe(false);
    const me = await browser.atSpar("/api/auth/me");
    expect(me.json()).toMatchObject({
      user: { id: maya.id, email: "maya.chen@example.com", role: "learner", name: "Maya Chen" },
    });

    expect((await userRow("maya.chen@example.com"))?.oidcSubject).toBe(`${provider.issuer} maya-0001`);
    expect((await call(admin, "GET", `/api/people/${maya.id}`)).json()).toMatchObject({ person: { status: "active" } });
    const audit = AuditPage.parse(
      (await call(admin, "GET", `/api/audit?action=sign_in.oidc&personId=${maya.id}`)).json(),
    );
    expect(audit.entries.map((entry) => [entry.actor?.name, entry.subject?.name, entry.details])).toEqual([
      ["Maya Chen", "Maya Chen", { linked: true, created: false }],
    ]);

    // Linked now: the provider account finds her even after her e-mail there changed.
    const again = new Browser(server);
    const second = await throughProvider(again, provider, {
      sub: "maya-0001",
      email: "maya@new-name.example",
      email_verified: true,
    });
    expect((await again.atSpar(second.callbackPath)).headers.location).toBe("/");
    expect((await again.atSpar("/api/auth/me")).json()).toMatchObject({ user: { id: maya.id } });
  });

  it("sends returnTo only to a path on this site", async () => {
    await addPerson("Ravi Iyer", "ravi.iyer@example.com");
    for (const returnTo of ["https://evil.example/steal", "//evil.example", "/\\evil.example", "javascript:alert(1)"]) {
      const browser = new Browser(server);
      const { callbackPath } = await throughProvider(
        browser,
        provider,
        { sub: "ravi-0001", email: "ravi.iyer@example.com", email_verified: true },
        returnTo,
      );
      expect((await browser.atSpar(callbackPath)).headers.location, returnTo).toBe("/");
    }
  });

  it("refuses a callback whose state is not the one this browser started with", async () => {
    await addPerson("Wren Adler", "wren.adler@example.com");
    const account = { sub: "wren-0001", email: "wren.adler@example.com", email_verified: true };

    const tampered = new Browser(server);
    const { callbackPath } = await throughProvider(tampered, provider, account);
    const wrongState = new URL(callbackPath, publicUrl);
    wrongState.searchParams.set("state", "not-the-state-this-browser-was-given");
    const refused = await tampered.atSpar(`${wrongState.pathname}${wrongState.search}`);
    refusedWith(refused, "state_invalid");
    expect(String(refused.headers["set-cookie"])).not.toMatch(/spar_session=[^;]/);

    // A genuine callback carried into another browser (login CSRF) is refused too.
    const started = new Browser(server);
    const genuine = await throughProvider(started, provider, account);
    const other = new Browser(server);
    refusedWith(await other.atSpar(genuine.callbackPath), "state_invalid");
    expect((await userRow("wren.adler@example.com"))?.oidcSubject).toBeNull();
  });

  it("uses a callback once: of two racing with the same code and state one signs in, and a replay later is refused", async () => {
    await addPerson("Ines Ferreira", "ines.ferreira@example.com");
    const browser = new Browser(server);
    const { callbackPath } = await throughProvider(
      browser,
      provider,
      { sub: "ines-0001", email: "ines.ferreira@example.com", email_verified: true },
      "/practice",
    );
    const stateCookie = `spar_oidc_state=${browser.cookies.get("spar_oidc_state")}`;
    const attempt = () => server.app.inject({ method: "GET", url: callbackPath, headers: { cookie: stateCookie } });

    const racing = await Promise.all([attempt(), attempt()]);
    expect(racing.map((response) => response.headers.location).sort()).toEqual([
      "/practice",
      "/sign-in?sso_error=state_invalid",
    ]);
    const replay = await attempt();
    refusedWith(replay, "state_invalid");
    expect(String(replay.headers["set-cookie"])).not.toMatch(/spar_session=[^;]/);
  });

  it("refuses an e-mail the provider has not verified, and one it did not give", async () => {
    await addPerson("Omar Haddad", "omar.haddad@example.com");
    const unverified = new Browser(server);
    const first = await throughProvider(unverified, provider, {
      sub: "omar-0001",
      email: "omar.haddad@example.com",
      email_verified: false,
    });
    refusedWith(await unverified.atSpar(first.callbackPath), "email_unverified");

    const withoutEmail = new Browser(server);
    const second = await throughProvider(withoutEmail, provider, { sub: "omar-0002", name: "Omar" });
    refusedWith(await withoutEmail.atSpar(second.callbackPath), "email_unverified");
    expect((await userRow("omar.haddad@example.com"))?.oidcSubject).toBeNull();
  });

  it("refuses someone unknown, but creates a newcomer from an allowed domain as a learner, once", async () => {
    const stranger = new Browser(server);
    const refused = await throughProvider(stranger, provider, {
      sub: "stranger-1",
      email: "stranger@elsewhere.example",
      email_verified: true,
    });
    refusedWith(await stranger.atSpar(refused.callbackPath), "unknown_person");
    expect(await userRow("stranger@elsewhere.example")).toBeNull();

    for (const attempt of [1, 2]) {
      const newcomer = new Browser(server);
      const flow = await throughProvider(
        newcomer,
        provider,
        { sub: "lena-0001", email: "lena.vogel@partners.example", email_verified: true, name: "Lena Vogel" },
        "/",
      );
      expect((await newcomer.atSpar(flow.callbackPath)).headers.location, `sign-in ${attempt}`).toBe("/");
      expect((await newcomer.atSpar("/api/auth/me")).json()).toMatchObject({
        user: { name: "Lena Vogel", email: "lena.vogel@partners.example", role: "learner" },
      });
    }
    expect(await server.database.prisma.user.count({ where: { email: "lena.vogel@partners.example" } })).toBe(1);
    const created = AuditPage.parse(
      (await call(admin, "GET", "/api/audit?action=person.created")).json(),
    ).entries.filter((entry) => entry.subject?.name === "Lena Vogel");
    expect(created.map((entry) => [entry.actor, entry.details.via, entry.details.role])).toEqual([
      [null, "oidc", "learner"],
    ]);
  });

  it("refuses a deactivated person, and an account already linked to someone else at the provider", async () => {
    const sam = await addPerson("Sam Whitaker", "sam.whitaker@example.com");
    const before = new Browser(server);
    const linked = await throughProvider(before, provider, {
      sub: "sam-0001",
      email: "sam.whitaker@example.com",
      email_verified: true,
    });
    expect((await before.atSpar(linked.callbackPath)).headers.location).toBe("/");

    // The same e-mail now belongs to another provider account: it must not open Sam's history.
    const successor = new Browser(server);
    const handedOn = await throughProvider(successor, provider, {
      sub: "sam-0002",
      email: "sam.whitaker@example.com",
      email_verified: true,
    });
    refusedWith(await successor.atSpar(handedOn.callbackPath), "account_linked_elsewhere");

    expect((await call(admin, "PATCH", `/api/people/${sam.id}`, { active: false })).statusCode).toBe(200);
    const after = new Browser(server);
    const refused = await throughProvider(after, provider, {
      sub: "sam-0001",
      email: "sam.whitaker@example.com",
      email_verified: true,
    });
    refusedWith(await after.atSpar(refused.callbackPath), "account_deactivated");
    expect((await before.atSpar("/api/auth/me")).statusCode).toBe(401);
  });

  it("explains a provider's error answer and a code it will not exchange, without a 500", async () => {
    const denied = new Browser(server);
    const login = await denied.atSpar("/api/auth/oidc/login");
    const state = new URL(String(login.headers.location)).searchParams.get("state") ?? "";
    refusedWith(
      await denied.atSpar(`/api/auth/oidc/callback?error=access_denied&error_description=cancelled&state=${state}`),
      "provider_denied",
    );

    const forged = new Browser(server);
    const forgedLogin = await forged.atSpar("/api/auth/oidc/login");
    const forgedState = new URL(String(forgedLogin.headers.location)).searchParams.get("state") ?? "";
    const iss = encodeURIComponent(provider.issuer);
    refusedWith(
      await forged.atSpar(`/api/auth/oidc/callback?code=made-up-code&state=${forgedState}&iss=${iss}`),
      "sign_in_failed",
    );
  });
});

describe.each<DatabaseKind>(["pglite", "postgresql"])("password sign-in switched off on %s", (kind) => {
  let provider: OpenIdProvider;
  let server: SparServer;

  beforeAll(async () => {
    provider = await startOpenIdProvider({ ...client, redirectUri: callbackUrl });
    server = await startTestApp(kind, {
      environment: ssoEnvironment(provider.issuer, { SPAR_PASSWORD_SIGN_IN: "off" }),
    });
  });
  afterAll(async () => {
    await server?.close();
    await provider?.close();
  });

  it("refuses passwords, says so in the options, and lets people in through the provider", async () => {
    const admin = await firstAdminSignIn(server.app, "ines.admin@example.com");
    const options = SignInOptions.parse((await server.app.inject({ method: "GET", url: "/api/auth/options" })).json());
    expect(options).toEqual({ password: false, oidc: { name: "Acme Login", loginUrl: "/api/auth/oidc/login" } });

    for (const payload of [
      { email: "ines.admin@example.com", password: "a long admin passphrase" },
      { not: "even a sign-in" },
    ]) {
      const refused = await server.app.inject({ method: "POST", url: "/api/auth/sign-in", payload });
      expect(refused.statusCode).toBe(403);
      const body = ErrorBody.parse(refused.json());
      expect(body.error.code).toBe("PASSWORD_SIGN_IN_OFF");
      expect(body.error.message).toContain("Acme Login");
    }

    const created = await server.app.inject({
      method: "POST",
      url: "/api/people",
      headers: { cookie: admin },
      payload: { name: "Tomas Ortega", email: "tomas.ortega@example.com", role: "learner" },
    });
    const { link } = PersonCreated.parse(created.json());
    const token = (link.url ?? "").split("/").at(-1);
    const setPassword = await server.app.inject({
      method: "POST",
      url: `/api/account-links/${token}`,
      payload: { password: "a perfectly fine passphrase" },
    });
    expect(setPassword.statusCode).toBe(403);
    expect(ErrorBody.parse(setPassword.json()).error.code).toBe("PASSWORD_SIGN_IN_OFF");
    expect(
      (await server.database.prisma.user.findUnique({ where: { email: "tomas.ortega@example.com" } }))?.passwordHash,
    ).toBeNull();

    const browser = new Browser(server);
    const flow = await throughProvider(browser, provider, {
      sub: "tomas-0001",
      email: "tomas.ortega@example.com",
      email_verified: true,
    });
    expect((await browser.atSpar(flow.callbackPath)).headers.location).toBe("/");
    expect((await browser.atSpar("/api/auth/me")).json()).toMatchObject({
      user: { email: "tomas.ortega@example.com" },
    });
  });
});

describe("a provider that is down (PGlite)", () => {
  let server: SparServer;
  let provider: OpenIdProvider | undefined;
  let port: number;

  beforeAll(async () => {
    // Nothing listens here yet: Spar must start all the same.
    port = await freePort();
    server = await startTestApp("pglite", { environment: ssoEnvironment(`http://127.0.0.1:${port}`) });
  });
  afterAll(async () => {
    await server?.close();
    await provider?.close();
  });

  it("gives a clear refusal while it is down or answers with errors, and works once it is back, without a restart", async () => {
    const early = new Browser(server);
    refusedWith(await early.atSpar("/api/auth/oidc/login?returnTo=/history"), "provider_unavailable");
    expect(early.cookies.has("spar_oidc_state")).toBe(false);
    expect(await server.database.prisma.oidcLoginState.count()).toBe(0);

    // Something answers, but with an error page instead of its configuration.
    const failing = createHttpServer((_request, response) => response.writeHead(503).end("maintenance"));
    await new Promise<void>((resolve) => failing.listen(port, "127.0.0.1", resolve));
    refusedWith(await early.atSpar("/api/auth/oidc/login"), "provider_unavailable");
    failing.closeAllConnections();
    await new Promise((resolve) => failing.close(resolve));

    provider = await startOpenIdProvider({ ...client, redirectUri: callbackUrl, port });
    const admin = await firstAdminSignIn(server.app);
    await server.app.inject({
      method: "POST",
      url: "/api/people",
      headers: { cookie: admin },
      payload: { name: "Priya Natarajan", email: "priya.natarajan@example.com", role: "manager" },
    });
    const browser = new Browser(server);
    const flow = await throughProvider(
      browser,
      provider,
      { sub: "priya-0001", email: "priya.natarajan@example.com", email_verified: true },
      "/history",
    );
    expect((await browser.atSpar(flow.callbackPath)).headers.location).toBe("/history");

    // Down again between the redirect and the return: the code cannot be exchanged.
    const stranded = new Browser(server);
    const halfway = await throughProvider(stranded, provider, {
      sub: "priya-0001",
      email: "priya.natarajan@example.com",
      email_verified: true,
    });
    await provider.close();
    provider = undefined;
    refusedWith(await stranded.atSpar(halfway.callbackPath), "provider_unavailable");
  });
});
