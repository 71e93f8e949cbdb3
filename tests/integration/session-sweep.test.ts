// Sessions nobody ends are ended by the sweep: past their time limit with the persona's closing
// line, or silent past the idle limit as abandoned; then scored or marked too short, and the
// learner's socket hears of it.
import { databaseKinds } from "@spar/db/testing";
import { demoSignIn, ManualClock, startTestApp } from "@spar/server/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PracticeClient } from "../fixtures/practice-client.ts";

type TestApp = Awaited<ReturnType<typeof startTestApp>>;

describe.each(databaseKinds)("the session sweep (%s)", (kind) => {
  const clock = new ManualClock();
  let server: TestApp;
  let baseUrl: string;
  let cookie: string;

  beforeAll(async () => {
    server = await startTestApp(kind, { clock, socket: { messagesPerSecond: 100, messageBurst: 100 }, environment: { SPAR_IDLE_MINUTES: "5" } });
    baseUrl = await server.app.listen({ port: 0, host: "127.0.0.1" });
    cookie = await demoSignIn(server.app, "kenji.watanabe@demo.example");
  });
  afterAll(() => server?.close());

  it("ends an idle session as abandoned and scores it, pushing both to the learner's socket", async () => {
    const client = await PracticeClient.connect(baseUrl, cookie);
    client.send({ type: "session-start", scenarioId: "frustrated-customer" });
    const { session } = await client.next("session-ready");
    await client.say(session.id, "I'm sorry this keeps happening. What happened this time?");
    await client.say(session.id, "That sounds exhausting. What would make this right for you?");
    // Not yet idle long enough: the sweep leaves it open.
    clock.advance(4 * 60_000);
    await server.sweepSessions();
    expect((await server.database.prisma.practiceSession.findUniqueOrThrow({ where: { id: session.id } })).status).toBe("active");

    clock.advance(2 * 60_000);
    await server.sweepSessions();
    expect(await client.next("session-ended", () => true, 10_000, 0)).toMatchObject({ sessionId: session.id, reason: "abandoned" });
    await client.next("score-ready", (message) => message.sessionId === session.id, 20_000, 0);
    client.close();
  });

  it("ends a session past its time limit with the closing line, and one with a single turn as too short", async () => {
    const client = await PracticeClient.connect(baseUrl, cookie);
    client.send({ type: "session-start", scenarioId: "price-objection" });
    const { session } = await client.next("session-ready");
    await client.say(session.id, "Help me understand how you're comparing the two offers.");
    clock.advance(session.maxMinutes * 60_000 + 1_000);
    await server.sweepSessions();
    expect(await client.next("session-ended", () => true, 10_000, 0)).toMatchObject({ reason: "time-limit" });
    const closing = server.library.library.scenarios.get("price-objection")?.value.end.closing_line;
    const last = client.received.filter((message) => message.type === "reply-end").at(-1);
    expect(last?.type === "reply-end" && last.turn.text).toBe(closing);
    await client.next("score-skipped", (message) => message.sessionId === session.id, 10_000, 0);
    client.close();
  });

  it("keeps a session open when the learner speaks just as it would be swept", async () => {
    const client = await PracticeClient.connect(baseUrl, cookie);
    client.send({ type: "session-start", scenarioId: "frustrated-customer" });
    const { session } = await client.next("session-ready");
    clock.advance(6 * 60_000);
    // The turn and the sweep race: the ending is conditional on silence, so either the turn lands
    // first and the session stays open, or the sweep ends it first and the turn is refused.
    const [turn] = await Promise.all([client.say(session.id, "Sorry, I'm back. What happened?").catch((error: Error) => error), server.sweepSessions()]);
    const row = await server.database.prisma.practiceSession.findUniqueOrThrow({ where: { id: session.id } });
    if (turn instanceof Error) {
      expect(turn.message).toContain("SESSION_ENDED");
      expect(row.status).toBe("ended");
    } else {
      expect(row.status).toBe("active");
    }
    client.close();
  });
});
