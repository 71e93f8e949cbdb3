// Every limit of the practice socket answers with a clear code and never takes the server down.
import type { Socket } from "node:net";
import { databaseKinds } from "@spar/db/testing";
import { demoSignIn, ManualClock, startTestApp } from "@spar/server/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PracticeClient } from "../fixtures/practice-client.ts";

type TestApp = Awaited<ReturnType<typeof startTestApp>>;

describe.each(databaseKinds)("practice socket limits (%s)", (kind) => {
  const clock = new ManualClock();
  let server: TestApp;
  let baseUrl: string;
  let cookie: string;

  beforeAll(async () => {
    server = await startTestApp(kind, {
      clock,
      // Unread answers, not unhandled messages, are what this file's flood test is about.
      socket: { heartbeatMs: 300, maxBufferedBytes: 32 * 1024, maxMessageBytes: 16 * 1024, maxQueuedMessages: 1_000_000 },
    });
    baseUrl = await server.app.listen({ port: 0, host: "127.0.0.1" });
    cookie = await demoSignIn(server.app, "grace.oneill@demo.example");
  });
  afterAll(() => server?.close());

  it("refuses oversized messages: a clear error over the soft limit, a closed socket over the hard one", async () => {
    const client = await PracticeClient.connect(baseUrl, cookie);
    client.socket.send(JSON.stringify({ type: "interrupt", sessionId: crypto.randomUUID(), padding: "x".repeat(20_000) }));
    expect((await client.next("error")).code).toBe("MESSAGE_TOO_LARGE");
    client.socket.send("x".repeat(70 * 1024));
    expect((await client.closed).code).toBe(1009);
  });

  it("slows down a client that sends too fast", async () => {
    const client = await PracticeClient.connect(baseUrl, cookie);
    for (let index = 0; index < 15; index++) client.send({ type: "interrupt", sessionId: crypto.randomUUID() });
    const limited = await client.next("error", (message) => message.code === "RATE_LIMITED");
    expect(limited.retryAfterMs).toBeGreaterThan(0);
    client.close();
  });

  it("limits how many sessions one learner keeps open", async () => {
    await new Promise((resolve) => setTimeout(resolve, 2_100)); // let the rate limit refill
    const client = await PracticeClient.connect(baseUrl, cookie);
    const ids: string[] = [];
    for (let index = 0; index < 3; index++) {
      client.send({ type: "session-start", scenarioId: "feedback-to-a-peer" });
      ids.push((await client.next("session-ready")).session.id);
    }
    client.send({ type: "session-start", scenarioId: "feedback-to-a-peer" });
    expect((await client.next("error")).code).toBe("TOO_MANY_SESSIONS");
    client.send({ type: "session-resume", sessionId: ids[0] as string, lastSeq: 1 });
    await client.next("session-ready");
    client.send({ type: "session-end", sessionId: ids[0] as string });
    await client.next("session-ended");
    client.send({ type: "session-start", scenarioId: "feedback-to-a-peer" });
    await client.next("session-ready");
    client.close();
  });

  it("closes the session with the persona's closing line once its time is up", async () => {
    const client = await PracticeClient.connect(baseUrl, cookie);
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const ended = await server.database.prisma.practiceSession.updateMany({ where: { learner: { email: "grace.oneill@demo.example" } }, data: { status: "ended" } });
    expect(ended.count).toBeGreaterThan(0);
    client.send({ type: "session-start", scenarioId: "frustrated-customer" });
    const { session } = await client.next("session-ready");
    clock.advance((session.maxMinutes + 1) * 60_000);
    client.send({ type: "turn", sessionId: session.id, clientMessageId: "late", text: "Sorry, where were we?" });
    const closing = await client.next("session-ended");
    expect(closing.reason).toBe("time-limit");
    const last = client.received.filter((message) => message.type === "reply-end").at(-1);
    expect(last?.type === "reply-end" && last.turn.text).toBe(server.library.library.scenarios.get("frustrated-customer")?.value.end.closing_line);
    client.close();
  });

  it("closes a connection whose peer stops answering pings", async () => {
    const client = await PracticeClient.connect(baseUrl, cookie, {}, { autoPong: false });
    const started = Date.now();
    const closed = await client.closed;
    expect(closed.code).toBe(1006); // terminated, not a clean close: the peer was gone
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});

describe("a client that stops reading", () => {
  let server: TestApp;
  let baseUrl: string;
  let cookie: string;

  beforeAll(async () => {
    // Heartbeats and the rate limit would stop this client first; here only the buffer limit acts.
    server = await startTestApp("pglite", {
      // Unread answers, not unhandled messages, are what this test is about.
      socket: { heartbeatMs: 60_000, maxBufferedBytes: 64 * 1024, messagesPerSecond: 1_000_000, messageBurst: 1_000_000, maxQueuedMessages: 1_000_000 },
    });
    baseUrl = await server.app.listen({ port: 0, host: "127.0.0.1" });
    cookie = await demoSignIn(server.app, "mateo.rossi@demo.example");
  });
  afterAll(() => server?.close());

  it("is cut off instead of buffered for without end", { timeout: 90_000 }, async () => {
    const client = await PracticeClient.connect(baseUrl, cookie);
    client.send({ type: "session-start", scenarioId: "missed-deadline" });
    const { session } = await client.next("session-ready");
    // Long turns make each answer large, so the buffers fill after fewer requests.
    for (let turn = 0; turn < 4; turn++) await client.say(session.id, `What happened with the deadline, from where you sit? ${"I want to understand. ".repeat(80)}`);
    const tcp = (client.socket as unknown as { _socket: Socket })._socket;
    tcp.pause();
    // Each resume answers with the whole transcript; unread, the answers pile up on the server.
    const resume = JSON.stringify({ type: "session-resume", sessionId: session.id, lastSeq: 0 });
    const serverSockets = (server.app as unknown as { websocketServer: { clients: Set<{ readyState: number }> } }).websocketServer.clients;
    const cutOff = () => [...serverSockets].some((socket) => socket.readyState !== 1);
    // Keep asking until the server gives up on this client (kernel buffers absorb the first MiBs).
    const deadline = Date.now() + 60_000;
    while (!cutOff() && Date.now() < deadline) {
      for (let index = 0; index < 100; index++) client.socket.send(resume);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    tcp.resume();
    const closed = await client.closed;
    expect(closed.code).toBe(4002);
    expect(closed.reason).toContain("SLOW_CONSUMER");
  });
});
