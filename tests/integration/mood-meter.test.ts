// The mood meter over the real socket: a scenario with show_mood sends the persona's trust and
// resistance with the session and with every persona turn, and keeps them for a resumed client;
// a scenario without it, and an assessment even when its file asks for it, send none at all.
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { databaseKinds } from "@spar/db/testing";
import type { ServerMessage } from "@spar/protocol";
import { demoSignIn, startTestApp } from "@spar/server/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repositoryRoot } from "../../packages/domain/test/library/read-files.ts";
import { PracticeClient } from "../fixtures/practice-client.ts";

const assessment = "redirecting-feedback";
const shortCoaching = "coaching-one-to-one";

/** Every frame after `since` that carries a mood anywhere in it. */
const framesWithMood = (client: PracticeClient, since: number): ServerMessage[] =>
  client.received.slice(since).filter((message) => JSON.stringify(message).includes('"mood"'));

describe.each(databaseKinds)("the mood meter over the practice socket (%s)", (kind) => {
  let server: Awaited<ReturnType<typeof startTestApp>>;
  let baseUrl: string;
  let dir: string;
  let cookie: string;
  const clients: PracticeClient[] = [];

  beforeAll(async () => {
    // The shipped assessment does not ask for the mood; this copy does, to show it is never sent.
    dir = await mkdtemp(path.join(os.tmpdir(), "spar-mood-"));
    await cp(path.join(repositoryRoot, "scenarios"), dir, { recursive: true });
    const file = path.join(dir, assessment, `${assessment}.scenario.yaml`);
    const source = await readFile(file, "utf8");
    expect(source).toContain("\nassessment:\n");
    await writeFile(file, source.replace("\nassessment:\n", "\nshow_mood: true\nassessment:\n"));
    // Two learner turns, so the closing line comes soon.
    const coaching = path.join(dir, shortCoaching, `${shortCoaching}.scenario.yaml`);
    const coachingSource = await readFile(coaching, "utf8");
    expect(coachingSource).toContain("max_turns: 12");
    await writeFile(coaching, coachingSource.replace("max_turns: 12", "max_turns: 2"));
    server = await startTestApp(kind, { socket: { messagesPerSecond: 200, messageBurst: 200 }, environment: { SPAR_LIBRARY_DIR: dir } });
    baseUrl = await server.app.listen({ port: 0, host: "127.0.0.1" });
    cookie = await demoSignIn(server.app, "sam.whitaker@demo.example");
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function connect(): Promise<PracticeClient> {
    const client = await PracticeClient.connect(baseUrl, cookie);
    clients.push(client);
    return client;
  }

  async function start(client: PracticeClient, scenarioId: string) {
    const since = client.mark;
    client.send({ type: "session-start", scenarioId });
    return client.next("session-ready", () => true, 10_000, since);
  }

  async function end(client: PracticeClient, sessionId: string) {
    const since = client.mark;
    client.send({ type: "session-end", sessionId });
    await client.next("session-ended", (message) => message.sessionId === sessionId, 10_000, since);
  }

  it("sends the opening mood, the mood after each reply, and the whole curve again on resume", async () => {
    const scenario = server.library.library.scenarios.get("frustrated-customer")?.value;
    expect(scenario?.show_mood).toBe(true);
    expect(scenario?.persona.starting_mood).toEqual({ trust: 2, resistance: 6 });
    const client = await connect();
    const since = client.mark;
    const ready = await start(client, "frustrated-customer");
    const sessionId = ready.session.id;
    expect(ready.session.mood).toEqual({ trust: 2, resistance: 6 });
    expect(ready.turns).toEqual([expect.objectContaining({ seq: 1, speaker: "persona", mood: { trust: 2, resistance: 6 } })]);

    // An acknowledgement warms her (trust +1, resistance -1); blame costs more (trust -2, resistance +3).
    const warmed = await client.say(sessionId, "I hear you. That sounds really frustrating, and I'm sorry you've had to explain it three times.");
    expect(warmed.reply.mood).toEqual({ trust: 3, resistance: 5 });
    const blamed = await client.say(sessionId, "You clearly didn't read the instructions, that's your fault.");
    expect(blamed.reply.mood).toEqual({ trust: 1, resistance: 8 });
    // The mood changes once per reply, as it is committed: never with the learner's turn or a token.
    expect(framesWithMood(client, since).map((message) => message.type)).toEqual(["session-ready", "reply-end", "reply-end"]);

    // A client that comes back later draws the whole curve from the stored turns.
    const resumed = await connect();
    resumed.send({ type: "session-resume", sessionId, lastSeq: 0 });
    const again = await resumed.next("session-ready");
    expect(again.session.mood).toEqual({ trust: 1, resistance: 8 });
    expect(again.turns.map((turn) => [turn.seq, turn.speaker, turn.mood])).toEqual([
      [1, "persona", { trust: 2, resistance: 6 }],
      [2, "learner", undefined],
      [3, "persona", { trust: 3, resistance: 5 }],
      [4, "learner", undefined],
      [5, "persona", { trust: 1, resistance: 8 }],
    ]);
    await end(resumed, sessionId);

    // The session read over HTTP (the scorecard's curve after the fact, the manager's review) has it too.
    const read = await server.app.inject({ method: "GET", url: `/api/practice-sessions/${sessionId}`, headers: { cookie } });
    expect(read.json().session.persona).toEqual({ name: scenario?.persona.name });
    expect(read.json().session.turns.map((turn: { mood?: unknown }) => turn.mood ?? null)).toEqual([
      { trust: 2, resistance: 6 },
      null,
      { trust: 3, resistance: 5 },
      null,
      { trust: 1, resistance: 8 },
    ]);
  });

  it("gives the closing line the mood the last reply left", async () => {
    const client = await connect();
    const ready = await start(client, shortCoaching);
    const sessionId = ready.session.id;
    const since = client.mark;
    await client.say(sessionId, "What would being good at presenting look like for you?");
    const second = await client.say(sessionId, "That sounds hard. I appreciate you telling me.");
    await client.next("session-ended", (message) => message.sessionId === sessionId, 10_000, since);
    const closing = await client.next("reply-end", (message) => message.turn.seq === second.reply.seq + 1, 10_000, since);
    expect(closing.turn.text).toBe(server.library.library.scenarios.get(shortCoaching)?.value.end.closing_line);
    expect(second.reply.mood).toBeDefined();
    expect(closing.turn.mood).toEqual(second.reply.mood);
  });

  it("sends no mood at all on a scenario that does not show it, though it keeps it with each turn", async () => {
    expect(server.library.library.scenarios.get("missed-deadline")?.value.show_mood).toBe(false);
    const client = await connect();
    const since = client.mark;
    const ready = await start(client, "missed-deadline");
    const sessionId = ready.session.id;
    expect(ready.session.mood).toBeUndefined();
    const { reply } = await client.say(sessionId, "You always do this. Missing the launch was unacceptable.");
    expect(reply.mood).toBeUndefined();
    await end(client, sessionId);
    expect(framesWithMood(client, since)).toEqual([]);
    const read = await server.app.inject({ method: "GET", url: `/api/practice-sessions/${sessionId}`, headers: { cookie } });
    expect(read.json().session.turns.filter((turn: { mood?: unknown }) => turn.mood !== undefined)).toEqual([]);
    // Stored all the same: the rule that shows it is applied when the turn is sent.
    const stored = await server.database.prisma.turn.findMany({ where: { sessionId, speaker: "persona" }, orderBy: { seq: "asc" } });
    expect(stored.map((turn) => [turn.trust, turn.resistance])).toEqual([
      [3, 6],
      [expect.any(Number), expect.any(Number)],
    ]);
  });

  it("sends no mood in an assessment, even when the scenario file asks for it", async () => {
    const scenario = server.library.library.scenarios.get(assessment)?.value;
    expect(scenario?.show_mood).toBe(true);
    expect(scenario?.assessment).toBeDefined();
    const client = await connect();
    const since = client.mark;
    const ready = await start(client, assessment);
    const sessionId = ready.session.id;
    await client.say(sessionId, "I'd like to talk about how your code review comments are landing with the junior engineers.");
    await client.say(sessionId, "What do you think is going on in those reviews?");
    client.send({ type: "session-resume", sessionId, lastSeq: 0 });
    await client.next("session-ready", (message) => message.resumed, 10_000, since);
    await end(client, sessionId);
    expect(framesWithMood(client, since)).toEqual([]);
  });
});
