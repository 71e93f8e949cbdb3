// Practising with an LLM persona: the real openai SDK inside a listening server, talking to the
// fake OpenAI-compatible server on loopback, over real websockets, on both databases.
import { databaseKinds } from "@spar/db/testing";
import { FakeOpenAiServer } from "@spar/llm/testing";
import { demoSignIn, startTestApp } from "@spar/server/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PracticeClient } from "../fixtures/practice-client.ts";

type TestApp = Awaited<ReturnType<typeof startTestApp>>;

describe.each(databaseKinds)("practising with an LLM persona (%s)", (kind) => {
  let fake: FakeOpenAiServer;
  let server: TestApp;
  let baseUrl: string;
  let cookie: string;

  beforeAll(async () => {
    fake = await FakeOpenAiServer.start({ firstTokenMs: 10, tokensPerSecond: 400 });
    server = await startTestApp(kind, {
      environment: { OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: fake.baseUrl, SPAR_PERSONA_MODEL: "persona-test-model", SPAR_MAX_OPEN_SESSIONS: "20" },
      socket: { messagesPerSecond: 200, messageBurst: 200 },
    });
    baseUrl = await server.app.listen({ port: 0, host: "127.0.0.1" });
    cookie = await demoSignIn(server.app, "kenji.watanabe@demo.example");
  });
  afterAll(async () => {
    await server?.close();
    await fake?.close();
  });

  async function startSession(client: PracticeClient, scenarioId = "frustrated-customer") {
    client.send({ type: "session-start", scenarioId });
    return (await client.next("session-ready")).session;
  }

  it("says which engine runs, streams the model's reply and records its token usage", async () => {
    const health = await (await fetch(`${baseUrl}/health`)).json();
    expect(health.llm).toMatchObject({ engine: "openai-compatible", personaModel: "persona-test-model", judgeModel: "gpt-4.1" });
    const client = await PracticeClient.connect(baseUrl, cookie);
    const session = await startSession(client);
    expect(session).toMatchObject({ engine: "llm", model: "persona-test-model" });
    fake.script({ kind: "reply", text: "Twice. You fixed it twice, and it came back twice." });
    const { reply } = await client.say(session.id, "I can hear how frustrating this has been. What happened this time?");
    expect(reply.text).toBe("Twice. You fixed it twice, and it came back twice.");
    const deltas = client.received.filter((message) => message.type === "reply-delta");
    expect(deltas.length).toBeGreaterThan(5);
    const stored = await server.database.prisma.turn.findFirstOrThrow({ where: { sessionId: session.id, seq: 3 } });
    expect(stored.outputTokens).toBe(10);
    expect(stored.inputTokens).toBeGreaterThan(100);
    client.close();
  });

  it("retries a 429 and a 500 from the model without the learner noticing", async () => {
    const client = await PracticeClient.connect(baseUrl, cookie);
    const session = await startSession(client);
    fake.script({ kind: "status", status: 429, retryAfterSeconds: 0 }, { kind: "status", status: 500 }, { kind: "reply", text: "Fine. Go on." });
    const { reply } = await client.say(session.id, "Thanks for your patience.");
    expect(reply.text).toBe("Fine. Go on.");
    client.close();
  });

  it("keeps the learner's turn when the model is down, and answers when asked again", async () => {
    const client = await PracticeClient.connect(baseUrl, cookie);
    const session = await startSession(client);
    fake.script({ kind: "status", status: 500 }, { kind: "status", status: 500 }, { kind: "status", status: 500 });
    client.send({ type: "turn", sessionId: session.id, clientMessageId: "down-1", text: "Are you still there?" });
    await client.next("turn-accepted");
    const failure = await client.next("error");
    expect(failure.code).toBe("LLM_UNAVAILABLE");
    expect(failure.message).toContain("Your message is saved");
    fake.script({ kind: "reply", text: "Still here." });
    client.send({ type: "reply-request", sessionId: session.id });
    const reply = await client.next("reply-end");
    expect(reply.turn).toMatchObject({ seq: 3, text: "Still here.", status: "complete" });
    client.close();
  });

  it("marks a reply cut off by the model's connection as interrupted, and keeps its words", async () => {
    const client = await PracticeClient.connect(baseUrl, cookie);
    const session = await startSession(client);
    fake.script({ kind: "reset", afterTokens: 4 });
    const { reply } = await client.say(session.id, "Tell me what happened.");
    expect(reply).toMatchObject({ seq: 3, status: "interrupted", interruption: "stream-lost" });
    // What arrived before the connection broke: some of the first four words, however the stream was read.
    expect(reply.text).toMatch(/^Fine\. What/);
    expect("Fine. What did you".startsWith(reply.text)).toBe(true);
    // The persona is left as it was: the reply asked for again plays the learner's turn afresh.
    const learnerTurnsHeard = async () =>
      ((await server.database.prisma.practiceSession.findUniqueOrThrow({ where: { id: session.id } })).personaState as { learnerTurns: number }).learnerTurns;
    expect(await learnerTurnsHeard()).toBe(0);

    // Asked again, the persona answers the same turn anew; the cut reply stays as it was said.
    fake.script({ kind: "reply", text: "On Monday the invoice came with the wrong amount, again." });
    client.send({ type: "reply-request", sessionId: session.id });
    const again = await client.next("reply-end");
    expect(again.turn).toMatchObject({ seq: 4, status: "complete", interruption: null, text: "On Monday the invoice came with the wrong amount, again." });
    const asked = fake.requests.at(-1);
    expect(asked?.messages.some((message) => message.content === reply.text)).toBe(false);
    expect(asked?.messages.some((message) => message.content === "Tell me what happened.")).toBe(true);
    expect(await learnerTurnsHeard()).toBe(1);
    const turns = await server.database.prisma.turn.findMany({ where: { sessionId: session.id }, orderBy: { seq: "asc" } });
    expect(turns.map((turn) => [turn.seq, turn.speaker, turn.interruption])).toEqual([
      [1, "persona", null],
      [2, "learner", null],
      [3, "persona", "stream-lost"],
      [4, "persona", null],
    ]);

    // A complete reply is not asked for again, and the learner goes on as usual.
    client.send({ type: "reply-request", sessionId: session.id });
    expect((await client.next("error")).code).toBe("NOTHING_TO_ANSWER");
    fake.script({ kind: "reply", text: "Go on then." });
    const { reply: next } = await client.say(session.id, "I'm sorry it happened again.");
    expect(next).toMatchObject({ seq: 6, status: "complete" });
    client.close();
  });

  it("does not answer a reply the learner stopped again when asked", async () => {
    const client = await PracticeClient.connect(baseUrl, cookie);
    const session = await startSession(client);
    fake.script({ kind: "reply", text: "Look, I have explained this three times already to three different people and every time ".repeat(6) });
    client.send({ type: "turn", sessionId: session.id, clientMessageId: "stop-then-ask", text: "Can you explain it again?" });
    await client.next("reply-delta");
    client.send({ type: "interrupt", sessionId: session.id });
    expect((await client.next("reply-end")).turn).toMatchObject({ status: "interrupted", interruption: "stopped" });
    client.send({ type: "reply-request", sessionId: session.id });
    expect((await client.next("error")).code).toBe("NOTHING_TO_ANSWER");
    client.close();
  });

  it("lets the learner interrupt a long reply", async () => {
    const slow = "Look, I have explained this three times already to three different people and every time ".repeat(6);
    const client = await PracticeClient.connect(baseUrl, cookie);
    const session = await startSession(client);
    fake.script({ kind: "reply", text: slow });
    client.send({ type: "turn", sessionId: session.id, clientMessageId: "long", text: "Can you explain it again?" });
    await client.next("reply-delta");
    client.send({ type: "interrupt", sessionId: session.id });
    const end = await client.next("reply-end");
    expect(end.turn.status).toBe("interrupted");
    expect(end.turn.text.length).toBeLessThan(slow.trim().length);
    client.close();
  });

  it("resumes after the connection is cut mid-reply, with every turn exactly once", async () => {
    const text = "Honestly, the board meets on Thursday and I have to explain why our invoices were wrong again, so this matters more than you know.";
    const first = await PracticeClient.connect(baseUrl, cookie);
    const session = await startSession(first);
    fake.script({ kind: "reply", text });
    first.send({ type: "turn", sessionId: session.id, clientMessageId: "cut-1", text: "What's riding on this for you?" });
    const accepted = await first.next("turn-accepted");
    await first.next("reply-delta");
    first.socket.terminate(); // the network drops mid-reply

    const second = await PracticeClient.connect(baseUrl, cookie);
    second.send({ type: "session-resume", sessionId: session.id, lastSeq: accepted.seq });
    const ready = await second.next("session-ready");
    expect(ready.resumed).toBe(true);
    const reply = ready.turns.find((turn) => turn.seq === accepted.seq + 1) ?? (await second.next("reply-end")).turn;
    expect(reply.text).toBe(text);
    // Resending the turn the client was unsure about does not store it twice.
    second.send({ type: "turn", sessionId: session.id, clientMessageId: "cut-1", text: "What's riding on this for you?" });
    expect((await second.next("turn-accepted")).duplicate).toBe(true);
    const turns = await server.database.prisma.turn.findMany({ where: { sessionId: session.id }, orderBy: { seq: "asc" } });
    expect(turns.map((turn) => [turn.seq, turn.speaker, turn.status])).toEqual([
      [1, "persona", "complete"], [2, "learner", "complete"], [3, "persona", "complete"],
    ]);
    second.close();
  });
});
