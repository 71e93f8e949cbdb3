// Single sign-on in a real browser: the sign-in page offers the organisation's provider, the
// button leaves for a real OpenID provider (oidc-provider) and comes back signed in where the
// person was going; a refusal is explained on the sign-in page; with password sign-in off the
// page offers only the provider. Both pages pass an accessibility check.
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { firstAdminSignIn, startTestApp } from "@spar/server/testing";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessibilityViolations, launchBrowser } from "../fixtures/browser.ts";
import { type OpenIdProvider, startOpenIdProvider } from "../fixtures/openid-provider.ts";

type TestApp = Awaited<ReturnType<typeof startTestApp>>;

const client = { clientId: "spar", clientSecret: "a client secret for the test provider" };

// The provider must know Spar's callback address before Spar listens, so Spar's port is chosen first.
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function startSparWithProvider(extra: Record<string, string> = {}) {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const provider = await startOpenIdProvider({ ...client, redirectUri: `${baseUrl}/api/auth/oidc/callback` });
  const server = await startTestApp("pglite", {
    environment: {
      PUBLIC_URL: baseUrl,
      OIDC_ISSUER: provider.issuer,
      OIDC_CLIENT_ID: client.clientId,
      OIDC_CLIENT_SECRET: client.clientSecret,
      OIDC_PROVIDER_NAME: "Acme Login",
      ...extra,
    },
  });
  await server.app.listen({ port, host: "127.0.0.1" });
  return { baseUrl, provider, server };
}

describe("single sign-on in the browser", () => {
  let spar: { baseUrl: string; provider: OpenIdProvider; server: TestApp };
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    spar = await startSparWithProvider();
    const admin = await firstAdminSignIn(spar.server.app);
    const added = await spar.server.app.inject({
      method: "POST",
      url: "/api/people",
      headers: { cookie: admin },
      payload: { name: "Maya Chen", email: "maya.chen@example.com", role: "learner" },
    });
    expect(added.statusCode, added.body).toBe(201);
    browser = await launchBrowser();
    page = await browser.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await spar?.server.close();
    await spar?.provider.close();
  });

  it("offers the provider beside the password form, accessibly", async () => {
    await page.goto(`${spar.baseUrl}/history`);
    const button = page.getByRole("link", { name: "Sign in with Acme Login" });
    await button.waitFor();
    expect(page.url()).toBe(`${spar.baseUrl}/sign-in?next=%2Fhistory`);
    expect(await button.getAttribute("href")).toBe("/api/auth/oidc/login?returnTo=%2Fhistory");
    expect(await page.getByLabel("Password").count()).toBe(1);
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it("leaves for the provider and comes back signed in where the person was going", async () => {
    spar.provider.nextSignIn({
      sub: "maya-0001",
      email: "maya.chen@example.com",
      email_verified: true,
      name: "Maya Chen",
    });
    await page.getByRole("link", { name: "Sign in with Acme Login" }).click();
    await page.waitForURL(`${spar.baseUrl}/history`);
    await page.getByRole("button", { name: "Sign out" }).waitFor();
  });

  it("explains a refusal in words on the sign-in page", async () => {
    // Another browser: this one is still signed in at the provider, which would not ask again.
    page = await (await browser.newContext()).newPage();
    await page.goto(`${spar.baseUrl}/sign-in`);
    spar.provider.nextSignIn({ sub: "stranger-1", email: "stranger@elsewhere.example", email_verified: true });
    await page.getByRole("link", { name: "Sign in with Acme Login" }).click();
    await page.waitForURL(`${spar.baseUrl}/sign-in?sso_error=unknown_person`);
    const alert = page.getByRole("alert");
    await alert.waitFor();
    expect(await alert.textContent()).toBe(
      "There is no Spar account for the e-mail address Acme Login gave us. Ask your Spar administrator to add you.",
    );
    expect(await accessibilityViolations(page)).toEqual([]);
  });
});

describe("single sign-on only, in the browser", () => {
  let spar: { baseUrl: string; provider: OpenIdProvider; server: TestApp };
  let browser: Browser;

  beforeAll(async () => {
    spar = await startSparWithProvider({ SPAR_PASSWORD_SIGN_IN: "off" });
    await firstAdminSignIn(spar.server.app);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await spar?.server.close();
    await spar?.provider.close();
  });

  it("offers only the provider when password sign-in is off", async () => {
    const page = await browser.newPage();
    await page.goto(`${spar.baseUrl}/sign-in`);
    await page.getByRole("link", { name: "Sign in with Acme Login" }).waitFor();
    expect(await page.getByLabel("Password").count()).toBe(0);
    expect(await page.getByRole("button", { name: "Sign in" }).count()).toBe(0);
    expect(await accessibilityViolations(page)).toEqual([]);
  });
});
