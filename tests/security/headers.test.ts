// Security headers on everything the server sends (the web app's HTML, its hashed assets, API
// answers and errors): a Content-Security-Policy with no inline script or style, no framing by
// any site, no MIME sniffing, a referrer kept to Spar's own pages, and HSTS only where Spar is
// served over https. A real Chromium shows that another site cannot frame Spar.
import { createServer, type IncomingMessage, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { readdirSync } from "node:fs";
import path from "node:path";
import { startTestApp } from "@spar/server/testing";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "../fixtures/browser.ts";
import { repositoryRoot } from "../fixtures/processes.ts";

type TestApp = Awaited<ReturnType<typeof startTestApp>>;

/** The policy as a map from directive to its sources. */
function directives(policy: string | null): Map<string, string[]> {
  return new Map(
    (policy ?? "")
      .split(";")
      .map((part) => part.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...sources]) => [name as string, sources]),
  );
}

const builtScript = readdirSync(path.join(repositoryRoot, "apps/web/dist/assets")).find((name) => name.endsWith(".js") && name.startsWith("index-"));

describe("security headers", () => {
  let server: TestApp;
  let baseUrl: string;

  beforeAll(async () => {
    server = await startTestApp("pglite");
    baseUrl = await server.app.listen({ port: 0, host: "127.0.0.1" });
  });
  afterAll(() => server?.close());

  const answers: [string, () => string, number][] = [
    ["the web app's page", () => "/", 200],
    ["a deep link into the web app", () => "/history", 200],
    ["a hashed asset", () => `/assets/${builtScript}`, 200],
    ["an API answer", () => "/api/setup", 200],
    ["an API refusal", () => "/api/scenarios", 401],
    ["an unknown API route", () => "/api/no-such-route", 404],
    ["the health check", () => "/health", 200],
  ];

  it.each(answers)("are on %s", async (_name, url, status) => {
    const response = await fetch(`${baseUrl}${url()}`);
    expect(response.status).toBe(status);
    const policy = directives(response.headers.get("content-security-policy"));
    expect(policy.get("default-src")).toEqual(["'self'"]);
    // WebAssembly may compile (voice-activity detection), but no JavaScript is evaluated from strings.
    expect(policy.get("script-src")).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(policy.get("script-src-attr")).toEqual(["'none'"]);
    expect(policy.get("style-src")).toEqual(["'self'"]);
    expect(policy.get("img-src")).toEqual(["'self'"]);
    expect(policy.get("connect-src")).toEqual(["'self'"]);
    expect(policy.get("object-src")).toEqual(["'none'"]);
    expect(policy.get("base-uri")).toEqual(["'none'"]);
    expect(policy.get("form-action")).toEqual(["'self'"]);
    expect(policy.get("frame-ancestors")).toEqual(["'none'"]);
    // Over plain http the browser must not be told to upgrade requests it cannot make.
    expect(policy.has("upgrade-insecure-requests")).toBe(false);
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("referrer-policy")).toBe("same-origin");
    expect(response.headers.get("strict-transport-security")).toBeNull();
  });

  it("are on the refusal of a websocket upgrade", async () => {
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      const upgrade = { connection: "Upgrade", upgrade: "websocket", "sec-websocket-version": "13", "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==" };
      const sent = request(`${baseUrl}/api/practice/socket`, { headers: upgrade }, (answer) => {
        answer.resume();
        resolve(answer);
      });
      sent.on("upgrade", () => reject(new Error("the upgrade was accepted without a sign-in")));
      sent.on("error", reject);
      sent.end();
    });
    expect(response.statusCode).toBe(401);
    expect(response.headers["x-content-type-options"]).toBe("nosniff");
    expect(directives(String(response.headers["content-security-policy"])).get("frame-ancestors")).toEqual(["'none'"]);
  });

  describe("where another site tries to frame Spar", () => {
    let browser: Browser;
    let framing: Server;
    let framingUrl: string;

    beforeAll(async () => {
      // Another origin (localhost, not 127.0.0.1) whose page frames Spar's set-up page.
      framing = createServer((_request, response) => {
        response.writeHead(200, { "content-type": "text/html" });
        response.end(`<!doctype html><title>Another site</title><iframe src="${baseUrl}/setup" title="Spar"></iframe>`);
      });
      await new Promise<void>((resolve) => framing.listen(0, "127.0.0.1", resolve));
      framingUrl = `http://localhost:${(framing.address() as AddressInfo).port}/`;
      browser = await launchBrowser({ policyViolations: "expected" });
    });
    afterAll(async () => {
      await browser?.close();
      await new Promise((resolve) => framing?.close(resolve));
    });

    it("the browser refuses to show Spar in the frame", async () => {
      // This page's violation is the point of the test, so it is expected, not a failure.
      const page = await browser.newPage();
      const messages: string[] = [];
      page.on("console", (message) => messages.push(message.text()));
      const sparAnswered = page.waitForResponse((response) => response.url() === `${baseUrl}/setup`);
      // The load event waits for the frame too, refused or not.
      await page.goto(framingUrl);
      await sparAnswered;
      const frame = page.frames().find((each) => each !== page.mainFrame());
      expect(frame?.url()).not.toBe(`${baseUrl}/setup`);
      expect(messages.join("\n")).toMatch(/frame-ancestors 'none'|X-Frame-Options/);
      await page.close();
    });
  });
});

describe("security headers with an https public address", () => {
  let server: TestApp;

  beforeAll(async () => {
    server = await startTestApp("pglite", { environment: { PUBLIC_URL: "https://spar.example.com" } });
  });
  afterAll(() => server?.close());

  it("tell browsers to use https only, for a year, and to upgrade any plain request", async () => {
    for (const url of ["/", "/api/setup"]) {
      const response = await server.app.inject({ method: "GET", url, headers: { host: "spar.example.com" } });
      expect(response.statusCode).toBe(200);
      expect(response.headers["strict-transport-security"]).toBe("max-age=31536000; includeSubDomains");
      expect(directives(String(response.headers["content-security-policy"])).has("upgrade-insecure-requests")).toBe(true);
    }
  });
});
