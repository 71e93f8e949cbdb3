// Keeping spoken turns' audio (SPAR_KEEP_AUDIO=on), on both databases: the learner's speech and
// the persona's are kept per turn, the learner and their manager can play a turn (the manager's
// playing audited), nobody else can, and the retention sweep removes the audio with the turns.
// Off by default: nothing is kept.
import { databaseKinds } from "@spar/db/testing";
import { PrismaTranscriptRetention } from "@spar/db";
import { type FakeAudioOptions, FakeOpenAiServer } from "@spar/llm/testing";
import { demoSignIn, startTestApp } from "@spar/server/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PracticeClient } from "../fixtures/practice-client.ts";

type TestApp = Awaited<ReturnType<typeof startTestApp>>;

const speech = (ms: number) => Buffer.alloc(Math.round((16_000 * 2 * ms) / 1000), 1);

/** Starts a spoken session, speaks one turn and hears the reply through; returns the session and the seqs. */
async function spokenExchange(baseUrl: string, cookie: string, fake: FakeOpenAiServer) {
  const client = await PracticeClient.connect(baseUrl, cookie);
  client.send({ type: "session-start", scenarioId: "frustrated-customer" });
  const { session } = await client.next("session-ready");
  client.send({ type: "voice-mode", sessionId: session.id, on: true });
  fake.script({ kind: "reply", text: "Fine. Tell me what you will do about it." });
  client.send({ type: "voice-start", sessionId: session.id, clientMessageId: "spoken-1", sampleRate: 16_000 });
  client.sendAudio(speech(600));
  client.send({ type: "voice-end", sessionId: session.id, clientMessageId: "spoken-1" });
  const accepted = await client.next("turn-accepted", (message) => message.clientMessageId === "spoken-1", 10_000, 0);
  const reply = accepted.seq + 1;
  await client.next("speech-end", (message) => message.seq === reply && message.last, 30_000, 0);
  client.send({ type: "speech-played", sessionId: session.id, seq: reply, playedMs: 2_000, stopped: false });
  return { client, sessionId: session.id, learnerSeq: accepted.seq, replySeq: reply };
}

describe.each(databaseKinds)("keeping spoken turns' audio (%s)", (kind) => {
  let fake: FakeOpenAiServer;
  let server: TestApp;
  let baseUrl: string;
  const audio: FakeAudioOptions = { transcript: "I am sorry about the invoice." };

  beforeAll(async () => {
    fake = await FakeOpenAiServer.start({ firstTokenMs: 5, tokensPerSecond: 400, audio });
    server = await startTestApp(kind, {
      environment: { OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: fake.baseUrl, SPAR_KEEP_AUDIO: "on", SPAR_STT_INTERIM_MS: "0", SPAR_TTS_LEAD_MS: "600000" },
      socket: { messagesPerSecond: 200, messageBurst: 200 },
    });
    baseUrl = await server.app.listen({ port: 0, host: "127.0.0.1" });
  });
  afterAll(async () => {
    await server?.close();
    await fake?.close();
  });

  it("keeps both sides' audio, plays it to the learner and their manager (audited), and to nobody else", async () => {
    const learner = await demoSignIn(server.app, "kenji.watanabe@demo.example");
    const { client, sessionId, learnerSeq, replySeq } = await spokenExchange(baseUrl, learner, fake);
    client.close();
    await expect.poll(() => server.database.prisma.turnAudio.count({ where: { sessionId } }), { timeout: 10_000 }).toBe(2);

    const play = (cookie: string, seq: number) => fetch(`${baseUrl}/api/practice-sessions/${sessionId}/turns/${seq}/audio`, { headers: { cookie } });
    const own = await play(learner, learnerSeq);
    expect(own.status).toBe(200);
    expect(own.headers.get("content-type")).toBe("audio/wav");
    const wav = Buffer.from(await own.arrayBuffer());
    expect(wav.subarray(0, 4).toString("latin1")).toBe("RIFF");
    // The learner's speech as it was sent: 600 ms at 16 kHz.
    expect(wav.length).toBe(44 + 16_000 * 2 * 0.6);
    const persona = await play(learner, replySeq);
    expect(persona.status).toBe(200);
    expect(Buffer.from(await persona.arrayBuffer()).readUInt32LE(24)).toBe(24_000);

    // The session view says which turns can be played.
    const view = await (await fetch(`${baseUrl}/api/practice-sessions/${sessionId}`, { headers: { cookie: learner } })).json();
    expect(view.session.turns.filter((turn: { audio?: boolean }) => turn.audio).map((turn: { seq: number }) => turn.seq)).toEqual([learnerSeq, replySeq]);

    const manager = await demoSignIn(server.app, "jordan.reyes@demo.example");
    const before = await server.database.prisma.auditEntry.count({ where: { action: "turn-audio.played" } });
    expect((await play(manager, learnerSeq)).status).toBe(200);
    const entry = await server.database.prisma.auditEntry.findFirstOrThrow({ where: { action: "turn-audio.played" }, orderBy: { at: "desc" } });
    expect(entry).toMatchObject({ resourceType: "practice-session", resourceId: sessionId });
    expect(await server.database.prisma.auditEntry.count({ where: { action: "turn-audio.played" } })).toBe(before + 1);

    // Another team's manager and another learner may not; a typed turn has none.
    expect((await play(await demoSignIn(server.app, "priya.natarajan@demo.example"), learnerSeq)).status).toBe(403);
    expect((await play(await demoSignIn(server.app, "sam.whitaker@demo.example"), learnerSeq)).status).toBe(403);
    expect((await play(learner, 1)).status).toBe(404);
  });

  it("removes the audio with the transcript when the retention period ends", async () => {
    const learner = await demoSignIn(server.app, "kenji.watanabe@demo.example");
    const { client, sessionId } = await spokenExchange(baseUrl, learner, fake);
    await expect.poll(() => server.database.prisma.turnAudio.count({ where: { sessionId } }), { timeout: 10_000 }).toBe(2);
    client.send({ type: "session-end", sessionId });
    await client.next("session-ended", () => true, 10_000, 0);
    client.close();
    await new PrismaTranscriptRetention(server.database.prisma).eraseTranscriptsEndedBefore(new Date(Date.now() + 60_000), new Date(), 100);
    expect(await server.database.prisma.turnAudio.count({ where: { sessionId } })).toBe(0);
    expect((await fetch(`${baseUrl}/api/practice-sessions/${sessionId}/turns/2/audio`, { headers: { cookie: learner } })).status).toBe(404);
  });
});

describe("audio is not kept by default", () => {
  it("keeps no audio and plays none", async () => {
    const fake = await FakeOpenAiServer.start({ firstTokenMs: 5, tokensPerSecond: 400, audio: { transcript: "Hello." } });
    const server = await startTestApp("pglite", { environment: { OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: fake.baseUrl, SPAR_STT_INTERIM_MS: "0" } });
    try {
      const baseUrl = await server.app.listen({ port: 0, host: "127.0.0.1" });
      const learner = await demoSignIn(server.app, "kenji.watanabe@demo.example");
      const { client, sessionId, learnerSeq } = await spokenExchange(baseUrl, learner, fake);
      client.close();
      expect(await server.database.prisma.turn.findFirstOrThrow({ where: { sessionId, seq: learnerSeq } })).toMatchObject({ text: "Hello." });
      expect(await server.database.prisma.turnAudio.count()).toBe(0);
      expect((await fetch(`${baseUrl}/api/practice-sessions/${sessionId}/turns/${learnerSeq}/audio`, { headers: { cookie: learner } })).status).toBe(404);
    } finally {
      await server.close();
      await fake.close();
    }
  });
});
