// A process near its limit turns new arrivals away (503 with Retry-After) instead of slowing
// everyone, stays observable, and recovers; a learner cannot hold more sockets than the cap.
import { demoSignIn, startTestApp } from "@spar/server/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PracticeClient } from "../fixtures/practice-client.ts";

type TestApp = Awaited<ReturnType<typeof startTestApp>>;

/** Holds the event loop, as a burst of CPU-bound work would. */
function busyFor(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {}
}

/** Signs in, waiting out any 503 the busy test machine itself causes. */
async function signInPatiently(server: TestApp, email: string): Promise<string> {
  for (let tries = 0; ; tries++) {
    try {
      return await demoSignIn(server.app, email);
    } catch (error) {
      if (!String(error).includes("OVERLOADED") || tries > 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

describe("load shedding (PGlite)", () => {
  let server: TestApp;
  let cookie: string;

  beforeAll(async () => {
    server = await startTestApp("pglite", { underPressure: { maxEventLoopDelayMs: 200, sampleIntervalMs: 50 } });
    cookie = await signInPatiently(server, "aisha.bello@demo.example");
  });
  afterAll(() => server?.close());

  it("answers 503 with Retry-After while the event loop lags, keeps /health answering, and recovers", async () => {
    // Lag in bursts, asking after each, as requests arriving at a saturated node would.
    type Response = Awaited<ReturnType<typeof server.app.inject>>;
    const answers: { api: number; health: number; response: Response }[] = [];
    for (let burst = 0; burst < 10 && !answers.some((answer) => answer.api === 503); burst++) {
      busyFor(400);
      // A timer, not setImmediate: the lag is sampled on the timers phase, which must run first.
      await new Promise((resolve) => setTimeout(resolve, 1));
      const [api, health] = await Promise.all([
        server.app.inject({ method: "GET", url: "/api/scenarios", headers: { cookie } }),
        server.app.inject({ method: "GET", url: "/health" }),
      ]);
      answers.push({ api: api.statusCode, health: health.statusCode, response: api });
    }
    const refused = answers.find((answer) => answer.api === 503)?.response;
    if (!refused) throw new Error(`never refused: ${JSON.stringify(answers.map(({ api, health }) => [api, health]))}`);
    expect(answers.every((answer) => answer.health === 200)).toBe(true);
    expect(refused.headers["retry-after"]).toBe("5");
    expect(refused.json()).toMatchObject({ error: { code: "OVERLOADED", message: expect.stringContaining("Try again") } });
    // Once the loop is calm for a sample or two, requests go through again.
    for (let tries = 0; ; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 60));
      const again = await server.app.inject({ method: "GET", url: "/api/scenarios", headers: { cookie } });
      if (again.statusCode === 200) break;
      expect(tries).toBeLessThan(50);
    }
  });

});

describe("per-connection limits (PGlite)", () => {
  let server: TestApp;
  let baseUrl: string;
  let cookie: string;

  beforeAll(async () => {
    server = await startTestApp("pglite", { socket: { maxQueuedMessages: 16 }, environment: { SPAR_MAX_SOCKETS_PER_LEARNER: "2" } });
    baseUrl = await server.app.listen({ port: 0, host: "127.0.0.1" });
    cookie = await demoSignIn(server.app, "aisha.bello@demo.example");
  });
  afterAll(() => server?.close());

  it("closes a socket that sends far faster than its messages are handled (4003)", async () => {
    const client = await PracticeClient.connect(baseUrl, cookie);
    const resume = JSON.stringify({ type: "session-resume", sessionId: crypto.randomUUID(), lastSeq: 0 });
    for (let index = 0; index < 500; index++) client.socket.send(resume);
    const closed = await client.closed;
    expect(closed).toMatchObject({ code: 4003, reason: expect.stringContaining("FLOODING") });
  });

  it("refuses a learner's socket past the cap before the upgrade, and admits one again when a socket closes", async () => {
    const first = await PracticeClient.connect(baseUrl, cookie);
    const second = await PracticeClient.connect(baseUrl, cookie);
    await expect(PracticeClient.connect(baseUrl, cookie)).rejects.toThrow("upgrade refused: 429");
    first.close();
    await first.closed;
    // The release is told when the socket closes; wait on the outcome, not on time.
    for (let tries = 0; ; tries++) {
      const third = await PracticeClient.connect(baseUrl, cookie).catch(() => null);
      if (third) {
        third.close();
        break;
      }
      expect(tries).toBeLessThan(50);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    second.close();
  });
});
