// DNS rebinding: a page on attacker.example whose name is made to resolve to Spar's address can
// send requests that look same-origin to the browser, with `Host: attacker.example`. Spar answers
// only requests that name its own host (PUBLIC_URL's, SPAR_ALLOWED_HOSTS, and loopback names
// where that is all it can be), before any route runs: not the first-run set-up, not the API,
// not the practice websocket. Through nginx, the Host the client sent is the one checked.
import { type IncomingMessage, request } from "node:http";
import { startTestApp } from "@spar/server/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { type ReverseProxy, startNginx } from "../fixtures/reverse-proxy.ts";

type TestApp = Awaited<ReturnType<typeof startTestApp>>;

interface Answer {
  status: number;
  body: string;
}

/** A request with the Host header the test chooses (fetch would not send it). */
function send(baseUrl: string, method: string, path: string, host: string, body?: object): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const payload = body ? JSON.stringify(body) : undefined;
    const headers = { host, ...(payload ? { "content-type": "application/json" } : {}) };
    const sent = request(`${baseUrl}${path}`, { method, headers }, (response) => {
      let text = "";
      response.on("data", (chunk) => (text += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body: text }));
    });
    sent.on("error", reject);
    sent.end(payload);
  });
}

/** Opens the practice websocket naming `host`; settles with the refusal's status, or "opened". */
function upgrade(baseUrl: string, host: string): Promise<number | "opened"> {
  const socket = new WebSocket(`${baseUrl.replace(/^http/, "ws")}/api/practice/socket`, { headers: { host } });
  return new Promise((resolve, reject) => {
    socket.once("unexpected-response", (sent, response: IncomingMessage) => {
      resolve(response.statusCode ?? 0);
      sent.destroy();
    });
    socket.once("open", () => {
      resolve("opened");
      socket.close();
    });
    socket.once("error", (error) => {
      if (!/closed before the connection/.test(error.message)) reject(error);
    });
  });
}

function expectRefusedHost(answer: Answer): void {
  expect(answer.status).toBe(421);
  const body = JSON.parse(answer.body);
  expect(body.error.code).toBe("HOST_NOT_ALLOWED");
  expect(body.error.message).toMatch(/SPAR_ALLOWED_HOSTS/);
  expect(answer.body).not.toMatch(/ at \S+\.(ts|js):\d+/);
}

describe("the Host header, with a public address", () => {
  let server: TestApp;
  let baseUrl: string;
  let proxy: ReverseProxy;

  beforeAll(async () => {
    server = await startTestApp("pglite", {
      environment: { SPAR_ENV: "production", PUBLIC_URL: "https://spar.example.com", SPAR_ALLOWED_HOSTS: "spar.internal, 10.0.0.5" },
    });
    baseUrl = await server.app.listen({ port: 0, host: "127.0.0.1" });
    proxy = await startNginx([baseUrl]);
  });
  afterAll(async () => {
    await proxy?.close();
    await server?.close();
  });

  it("refuses a rebound name before the first-run set-up, which stays undone", async () => {
    expectRefusedHost(await send(baseUrl, "POST", "/api/setup/admin", "attacker.example", { name: "Mallory", email: "mallory@attacker.example", password: "a long enough passphrase" }));
    expectRefusedHost(await send(baseUrl, "GET", "/api/setup", "attacker.example"));
    const setup = await send(baseUrl, "GET", "/api/setup", "spar.example.com");
    expect(setup.status).toBe(200);
    expect(JSON.parse(setup.body).needsSetup).toBe(true);
  });

  it("refuses it on the web app, unknown routes and the websocket upgrade alike", async () => {
    expectRefusedHost(await send(baseUrl, "GET", "/", "attacker.example:3000"));
    expectRefusedHost(await send(baseUrl, "GET", "/api/no-such-route", "attacker.example"));
    // Close cousins of the public name are other names.
    expectRefusedHost(await send(baseUrl, "GET", "/", "spar.example.com.attacker.example"));
    expectRefusedHost(await send(baseUrl, "GET", "/", "evil-spar.example.com"));
    // With a public address set, loopback names are no longer Spar's in production.
    expectRefusedHost(await send(baseUrl, "GET", "/", "localhost"));
    expect(await upgrade(baseUrl, "attacker.example")).toBe(421);
  });

  it("answers PUBLIC_URL's host on any port and in any case, and the hosts in SPAR_ALLOWED_HOSTS", async () => {
    for (const host of ["spar.example.com", "SPAR.Example.com", "spar.example.com:8443", "spar.example.com.", "spar.internal", "spar.internal:3000", "10.0.0.5:3000"]) {
      expect((await send(baseUrl, "GET", "/api/setup", host)).status, host).toBe(200);
    }
    // Past the host check, the websocket's own rules apply: sign in first.
    expect(await upgrade(baseUrl, "spar.example.com")).toBe(401);
  });

  it("leaves /health to probes that address the process by its own address", async () => {
    expect((await send(baseUrl, "GET", "/health", "10.1.2.3:3000")).status).toBe(200);
  });

  it("checks the Host the client sent to the proxy, which nginx passes on", async () => {
    expectRefusedHost(await send(proxy.baseUrl, "GET", "/api/setup", "attacker.example"));
    expect((await send(proxy.baseUrl, "GET", "/api/setup", "spar.example.com")).status).toBe(200);
  });
});

describe("the Host header, without a public address (a laptop, a test)", () => {
  let server: TestApp;
  let baseUrl: string;

  beforeAll(async () => {
    server = await startTestApp("pglite");
    baseUrl = await server.app.listen({ port: 0, host: "127.0.0.1" });
  });
  afterAll(() => server?.close());

  it("answers loopback names on any port", async () => {
    for (const host of ["localhost", "localhost:5173", "127.0.0.1:3000", "[::1]:3000"]) {
      expect((await send(baseUrl, "GET", "/api/setup", host)).status, host).toBe(200);
    }
  });

  it("refuses any other name, and a Host that is no host at all", async () => {
    expectRefusedHost(await send(baseUrl, "GET", "/api/setup", "attacker.example"));
    expectRefusedHost(await send(baseUrl, "GET", "/api/setup", "localhost.attacker.example"));
    expectRefusedHost(await send(baseUrl, "GET", "/api/setup", "user@localhost"));
  });
});
