// Racing and flooding one session: every message is answered, the transcript stays a strict
// alternation of learner and persona, and limits hold however many starts arrive at once.
import { storedAsDrafted } from "@spar/domain";
import type { ServerMessage } from "@spar/protocol";
import { databaseKinds } from "@spar/db/testing";
import { FakeOpenAiServer } from "@spar/llm/testing";
import { demoSignIn, localReplyState, type ReplyState, startTestApp } from "@spar/server/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PracticeClient } from "../fixtures/practice-client.ts";

type TestApp = Awaited<ReturnType<typeof startTestApp>>;

/** What became of a turn: accepted (stored), refused with a code, or nothing yet. */
function fateOf(received: ServerMessage[], clientMessageId: string): string | null {
  for (const message of received) {
    if (message.type === "turn-accepted" && message.clientMessageId === clientMessageId) return message.duplicate ? "duplicate" : "accepted";
    if (message.type === "error" && message.clientMessageId === clientMessageId) return message.code;
  }
  return null;
}

/** The answer (acknowledgement or refusal) to one turn, among everything the client received. */
function answerTo(client: PracticeClient, clientMessageId: string): Promise<unknown> {
  return Promise.race([
    client.next("turn-accepted", (message) => message.clientMessageId === clientMessageId, 30_000, 0),
    client.next("error", (message) => message.clientMessageId === clientMessageId, 30_000, 0),
  ]);
}

/** Waits for the last turn sent on each client (a socket answers in order), then reads every fate. */
async function fatesOf(sent: [PracticeClient, string[]][]): Promise<(string | null)[]> {
  await Promise.all(sent.map(([client, ids]) => answerTo(client, ids.at(-1) as string)));
  return sent.flatMap(([client, ids]) => ids.map((id) => fateOf(client.received, id)));
}

async function speakers(server: TestApp, sessionId: string): Promise<string[]> {
  const turns = await server.database.prisma.turn.findMany({ where: { sessionId }, orderBy: { seq: "asc" }, select: { speaker: true } });
  return turns.map((turn) => turn.speaker);
}

/** scenarios/frustrated-customer: end.max_turns. */
const frustratedCustomerMaxTurns = 12;

/** Learner and persona strictly alternate, starting with the persona's opening line. */
function alternates(order: string[]): boolean {
  return order.every((speaker, index) => speaker === (index % 2 === 0 ? "persona" : "learner"));
}

describe.each(databaseKinds)("racing messages on one session (%s)", (kind) => {
  let server: TestApp;
  let baseUrl: string;
  let cookie: string;

  beforeAll(async () => {
    server = await startTestApp(kind, { socket: { messagesPerSecond: 1_000, messageBurst: 1_000 }, environment: { SPAR_MAX_SOCKETS_PER_LEARNER: "30" } });
    baseUrl = await server.app.listen({ port: 0, host: "127.0.0.1" });
    cookie = await demoSignIn(server.app, "nadia.haddad@demo.example");
  });
  afterAll(() => server?.close());

  async function freshSession(client: PracticeClient): Promise<string> {
    await server.database.prisma.practiceSession.updateMany({ where: { learner: { email: "nadia.haddad@demo.example" }, status: "active" }, data: { status: "ended" } });
    client.send({ type: "session-start", scenarioId: "frustrated-customer" });
    return (await client.next("session-ready")).session.id;
  }

  it("answers twenty turns sent at once on one socket, in order, with one reply per stored turn", async () => {
    const client = await PracticeClient.connect(baseUrl, cookie);
    const sessionId = await freshSession(client);
    const ids = Array.from({ length: 20 }, (_, index) => `burst-${index}`);
    for (const id of ids) client.send({ type: "turn", sessionId, clientMessageId: id, text: `I hear you, point ${id}. What happened with the invoice?` });
    const fates = await fatesOf([[client, ids]]);
    expect(fates[0]).toBe("accepted");
    expect(fates.every((fate) => fate === "accepted" || fate === "REPLY_IN_PROGRESS" || fate === "SESSION_ENDED")).toBe(true);
    // Acknowledgements come back in the order the turns were sent.
    const order = client.received.flatMap((message) => ("clientMessageId" in message && message.clientMessageId ? [message.clientMessageId] : []));
    expect(order).toEqual(ids);
    const accepted = fates.filter((fate) => fate === "accepted").length;
    for (let reply = 0; reply < accepted; reply++) await client.next("reply-end", (message) => message.turn.seq === 3 + 2 * reply, 15_000, 0);
    const transcript = await speakers(server, sessionId);
    // Twelve learner turns reach the scenario's turn limit: its closing line follows the last reply.
    const closed = accepted === frustratedCustomerMaxTurns;
    expect(alternates(closed ? transcript.slice(0, -1) : transcript)).toBe(true);
    expect(transcript).toHaveLength(1 + 2 * accepted + (closed ? 1 : 0));
    expect(transcript.at(-1)).toBe("persona");
    client.close();
  });

  it("keeps a strict alternation when two sockets of one session send at once", async () => {
    const one = await PracticeClient.connect(baseUrl, cookie);
    const sessionId = await freshSession(one);
    const two = await PracticeClient.connect(baseUrl, cookie);
    two.send({ type: "session-resume", sessionId, lastSeq: 1 });
    await two.next("session-ready");
    for (let round = 0; round < 5; round++) {
      const ids = [`one-${round}`, `two-${round}`];
      one.send({ type: "turn", sessionId, clientMessageId: ids[0] as string, text: "Can you tell me more about what went wrong?" });
      two.send({ type: "turn", sessionId, clientMessageId: ids[1] as string, text: "I'm sorry this happened. What would help most?" });
      const fates = await fatesOf([
        [one, [ids[0] as string]],
        [two, [ids[1] as string]],
      ]);
      const accepted = fates.filter((fate) => fate === "accepted").length;
      expect(accepted).toBeGreaterThanOrEqual(1);
      // Wait for every stored turn's reply before the next round.
      const transcript = await (async () => {
        for (;;) {
          const order = await speakers(server, sessionId);
          if (order.at(-1) === "persona") return order;
          await one.next("reply-end", () => true, 15_000);
        }
      })();
      expect(alternates(transcript)).toBe(true);
    }
    one.close();
    two.close();
  });

  it("stores a turn drafted before another turn and its reply after them, and answers it from the session as it now stands", async () => {
    const client = await PracticeClient.connect(baseUrl, cookie);
    const sessionId = await freshSession(client);
    const { learnerId } = await server.database.prisma.practiceSession.findUniqueOrThrow({ where: { id: sessionId }, select: { learnerId: true } });
    // Drafted (the session read, nothing written), as a spoken turn is at the learner's pause.
    const draft = await server.practice.draftTurn(learnerId, sessionId, "drafted-early", "What would a good outcome look like for you?");
    if (!draft.ok || !("kind" in draft)) throw new Error("not drafted");
    // Meanwhile another tab's turn is stored and answered.
    await client.say(sessionId, "Sorry, one thing first: is the refund still pending?");
    const stored = await server.practice.storeTurn(draft);
    if (!stored.ok) throw new Error(stored.message);
    expect(stored.turn.seq).toBe(4);
    expect(storedAsDrafted(draft, stored.turn)).toBe(false);
    expect(stored.session.turns.map((turn) => turn.seq)).toEqual([1, 2, 3, 4]);
    // Its reply carries on from the persona's state after the other turn was answered: two learner turns heard.
    const answered = await server.practice.reply(sessionId, { signal: new AbortController().signal, onStart: () => {}, onDelta: () => {} }, stored.session);
    expect(answered.ok && answered.turn.seq).toBe(5);
    const { personaState } = await server.database.prisma.practiceSession.findUniqueOrThrow({ where: { id: sessionId }, select: { personaState: true } });
    expect(personaState).toMatchObject({ learnerTurns: 2 });
    expect(alternates(await speakers(server, sessionId))).toBe(true);
    client.close();
  });

  it("survives a 200-frame burst: every turn is answered and at most one waits for a reply at a time", async () => {
    const client = await PracticeClient.connect(baseUrl, cookie);
    const sessionId = await freshSession(client);
    const ids = Array.from({ length: 200 }, (_, index) => `flood-${index}`);
    for (const id of ids) client.send({ type: "turn", sessionId, clientMessageId: id, text: "Sorry. What happened?" });
    const fates = await fatesOf([[client, ids]]);
    expect(fates.filter((fate) => fate === null)).toEqual([]);
    const transcript = await speakers(server, sessionId);
    // Ended at the turn limit, the persona's reply is followed by the scenario's closing line.
    const { status } = await server.database.prisma.practiceSession.findUniqueOrThrow({ where: { id: sessionId }, select: { status: true } });
    const closed = status === "ended" && transcript.at(-1) === "persona" && transcript.at(-2) === "persona" ? transcript.slice(0, -1) : transcript;
    expect(alternates(closed.at(-1) === "learner" ? [...closed, "persona"] : closed)).toBe(true);
    client.close();
  });

  it("lets twenty simultaneous starts open no more sessions than the limit allows", async () => {
    await server.database.prisma.practiceSession.updateMany({ where: { learner: { email: "nadia.haddad@demo.example" }, status: "active" }, data: { status: "ended" } });
    const clients = await Promise.all(Array.from({ length: 20 }, () => PracticeClient.connect(baseUrl, cookie)));
    for (const client of clients) client.send({ type: "session-start", scenarioId: "frustrated-customer" });
    const answers = await Promise.all(
      clients.map((client) => Promise.race([client.next("session-ready").then(() => "ready"), client.next("error").then((message) => message.code)])),
    );
    expect(answers.filter((answer) => answer === "ready")).toHaveLength(server.config.practice.maxActiveSessions);
    expect(answers.filter((answer) => answer === "TOO_MANY_SESSIONS")).toHaveLength(20 - server.config.practice.maxActiveSessions);
    for (const client of clients) client.close();
  });
});

describe("a resent turn while its reply streams (PGlite)", () => {
  let fake: FakeOpenAiServer;
  let server: TestApp;
  let baseUrl: string;

  beforeAll(async () => {
    fake = await FakeOpenAiServer.start({ firstTokenMs: 10, tokensPerSecond: 20 });
    server = await startTestApp("pglite", { environment: { OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: fake.baseUrl } });
    baseUrl = await server.app.listen({ port: 0, host: "127.0.0.1" });
  });
  afterAll(async () => {
    await server?.close();
    await fake?.close();
  });

  it("is acknowledged as a duplicate, and a new turn meanwhile is refused until the reply ends", async () => {
    const client = await PracticeClient.connect(baseUrl, await demoSignIn(server.app, "sam.whitaker@demo.example"));
    client.send({ type: "session-start", scenarioId: "missed-deadline" });
    const { session } = await client.next("session-ready");
    fake.script({ kind: "reply", text: "Well, it is a long story, and I am not sure where to begin with all of it, honestly." });
    client.send({ type: "turn", sessionId: session.id, clientMessageId: "first", text: "What happened with the deadline?" });
    await client.next("reply-delta");
    client.send({ type: "turn", sessionId: session.id, clientMessageId: "first", text: "What happened with the deadline?" });
    expect(await client.next("turn-accepted", (message) => message.duplicate)).toMatchObject({ clientMessageId: "first", seq: 2 });
    client.send({ type: "turn", sessionId: session.id, clientMessageId: "second", text: "Hello?" });
    expect(await client.next("error", (message) => message.clientMessageId === "second")).toMatchObject({ code: "REPLY_IN_PROGRESS" });
    const reply = await client.next("reply-end", () => true, 15_000, 0);
    expect(reply.turn.seq).toBe(3);
    expect(fake.counts.streams).toBe(1);
    client.close();
  });
});

describe("a turn stored while the previous reply lets go of its lease (PGlite)", () => {
  let server: TestApp;
  let baseUrl: string;
  // Holds each reply's release until the test lets it go: the moment when the reply is committed
  // and heard, but its owner still holds the lease. On a busy machine, or across processes, a
  // learner's next turn lands in that moment.
  const releases: (() => void)[] = [];
  let holding = true;
  const state = localReplyState();
  const slowToRelease: ReplyState = {
    ...state,
    release: (sessionId, owner) =>
      holding ? new Promise((resolve) => releases.push(() => resolve(state.release(sessionId, owner)))) : state.release(sessionId, owner),
  };

  beforeAll(async () => {
    server = await startTestApp("pglite", { replyState: slowToRelease });
    baseUrl = await server.app.listen({ port: 0, host: "127.0.0.1" });
  });
  afterAll(() => server?.close());

  it("is answered once the lease is let go", async () => {
    const cookie = await demoSignIn(server.app, "aisha.bello@demo.example");
    const one = await PracticeClient.connect(baseUrl, cookie);
    one.send({ type: "session-start", scenarioId: "frustrated-customer" });
    const { session } = await one.next("session-ready");
    const two = await PracticeClient.connect(baseUrl, cookie);
    two.send({ type: "session-resume", sessionId: session.id, lastSeq: 1 });
    await two.next("session-ready");

    one.send({ type: "turn", sessionId: session.id, clientMessageId: "first", text: "I'm sorry about the invoice. What happened?" });
    await two.next("reply-end", (message) => message.turn.seq === 3, 15_000, 0);
    // The reply is committed and heard; its lease is not yet let go. The next turn is stored.
    two.send({ type: "turn", sessionId: session.id, clientMessageId: "second", text: "That sounds frustrating. What would put it right?" });
    expect(await two.next("turn-accepted", (message) => message.clientMessageId === "second", 15_000, 0)).toMatchObject({ seq: 4 });
    holding = false;
    for (const release of releases.splice(0)) release();
    // Without a look after the release, nobody would answer turn 4.
    const answer = await two.next("reply-end", (message) => message.turn.seq === 5, 15_000, 0);
    expect(answer.turn.speaker).toBe("persona");
    expect(await speakers(server, session.id)).toEqual(["persona", "learner", "persona", "learner", "persona"]);
    one.close();
    two.close();
  });
});
