// The persona's reply begins while the learner's turn is still being written, so the provider is
// not kept waiting for the database; but nobody hears a word of it, and nothing of it is stored,
// unless the turn is stored. PostgreSQL only: a transaction holding the session's row lock keeps
// the turn's write waiting, which PGlite (one connection) cannot show.
import { FakeOpenAiServer } from "@spar/llm/testing";
import { demoSignIn, startTestApp } from "@spar/server/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { PracticeClient } from "../fixtures/practice-client.ts";

type TestApp = Awaited<ReturnType<typeof startTestApp>>;

const reply = "Twice. You fixed it twice, and it came back twice.";

describe("the reply to a turn still being written (postgresql)", () => {
  let fake: FakeOpenAiServer;
  let server: TestApp;
  let baseUrl: string;
  let cookie: string;
  const clients: PracticeClient[] = [];

  beforeAll(async () => {
    fake = await FakeOpenAiServer.start({ firstTokenMs: 5, tokensPerSecond: 400, reply: () => reply });
    server = await startTestApp("postgresql", {
      environment: { OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: fake.baseUrl, SPAR_MAX_OPEN_SESSIONS: "20" },
      socket: { messagesPerSecond: 200, messageBurst: 200 },
    });
    baseUrl = await server.app.listen({ port: 0, host: "127.0.0.1" });
    cookie = await demoSignIn(server.app, "kenji.watanabe@demo.example");
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await server?.close();
    await fake?.close();
  });

  const started = () => PracticeClient.started(baseUrl, cookie, clients);

  /**
   * Holds the session's row lock in a transaction of its own: a learner turn's write waits for it.
   * `meanwhile` runs inside the transaction before it commits.
   */
  function holdSession(sessionId: string) {
    let release: (meanwhile?: string) => void = () => {};
    const released = new Promise<string | undefined>((resolve) => (release = resolve));
    let locked: () => void = () => {};
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const done = server.database.prisma.$transaction(
      async (transaction) => {
        await transaction.$queryRaw`SELECT 1 FROM "PracticeSession" WHERE id = ${sessionId}::uuid FOR UPDATE`;
        locked();
        const meanwhile = await released;
        if (meanwhile === "end") {
          await transaction.$executeRaw`UPDATE "PracticeSession" SET status = 'ended', "endedAt" = now(), "endReason" = 'learner-ended' WHERE id = ${sessionId}::uuid`;
        }
      },
      { timeout: 30_000, maxWait: 10_000 },
    );
    return { isLocked, release, done };
  }

  /**
   * A session whose row lock is held while the learner sends a turn: resolves once the persona's
   * provider has been asked for the reply (the turn's write still waiting). `since` marks the turn.
   */
  async function turnWhileHeld(clientMessageId: string, text: string) {
    const { client, session } = await started();
    const held = holdSession(session.id);
    await held.isLocked;
    const requestsBefore = fake.requests.length;
    const since = client.mark;
    client.send({ type: "turn", sessionId: session.id, clientMessageId, text });
    await vi.waitFor(() => expect(fake.requests.length).toBe(requestsBefore + 1), { timeout: 10_000 });
    return { client, session, held, since };
  }

  const replyFrames = (client: PracticeClient, since: number) =>
    client.received.slice(since).filter((message) => message.type === "reply-start" || message.type === "reply-delta" || message.type === "reply-end");

  it("asks the provider before the turn is stored, and says the reply only after the turn is acknowledged", async () => {
    const { client, session, held, since } = await turnWhileHeld("held-1", "I can hear how frustrating this has been. What happened?");
    // The whole reply reaches the server while the turn's write waits for the lock.
    await vi.waitFor(() => expect(fake.openReplies).toBe(0), { timeout: 10_000 });
    expect(await server.database.prisma.turn.count({ where: { sessionId: session.id } })).toBe(1);
    expect(client.received.slice(since).map((message) => message.type)).toEqual([]);

    held.release();
    await held.done;
    const end = await client.next("reply-end", () => true, 10_000, since);
    expect(end.turn).toMatchObject({ seq: 3, text: reply });
    const types = client.received.slice(since).map((message) => message.type);
    expect(types[0]).toBe("turn-accepted");
    expect(types.indexOf("reply-start")).toBeGreaterThan(types.indexOf("turn-accepted"));
    const said = replyFrames(client, since).flatMap((message) => (message.type === "reply-delta" ? [message.text] : []));
    expect(said.join("")).toBe(reply);
    const speakers = await server.database.prisma.turn.findMany({ where: { sessionId: session.id }, orderBy: { seq: "asc" }, select: { speaker: true } });
    expect(speakers.map((turn) => turn.speaker)).toEqual(["persona", "learner", "persona"]);
  });

  it("says nothing of a reply whose turn was refused while it was being written, and stores none of it", async () => {
    const { client, session, held, since } = await turnWhileHeld("refused-1", "What would a good outcome look like for you?");
    // The session ends (on another connection, say) before the turn's write gets the lock.
    held.release("end");
    await held.done;
    const refused = await client.next("error", (message) => message.clientMessageId === "refused-1", 10_000, since);
    expect(refused.code).toBe("SESSION_ENDED");
    // The reply begun for it is stopped, or finishes, and goes nowhere.
    await vi.waitFor(() => expect(fake.openReplies).toBe(0), { timeout: 10_000 });
    client.send({ type: "open-sessions" });
    await client.next("open-sessions", () => true, 10_000, since);
    expect(replyFrames(client, since)).toEqual([]);
    expect(await server.database.prisma.turn.count({ where: { sessionId: session.id } })).toBe(1);
  });
});
