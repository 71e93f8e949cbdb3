// Voice practice on the speech-to-speech engine (SPAR_VOICE_ENGINE=realtime) over the real
// socket, on both databases, against the fake provider's /v1/realtime websocket: the server holds
// the key and proxies the learner's audio; the learner's turn is committed from the Realtime
// transcript before it is acknowledged, the persona's from what it said before reply-end; its
// prompt is the text engine's; its speech streams as binary frames; barge-in cancels it and keeps
// what was heard; the guard holds back audio of words it has not cleared.
import { cp, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { databaseKinds } from "@spar/db/testing";
import { type FakeAudioOptions, FakeOpenAiServer } from "@spar/llm/testing";
import { demoSignIn, startTestApp } from "@spar/server/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repositoryRoot } from "../../packages/domain/test/library/read-files.ts";
import { PracticeClient } from "../fixtures/practice-client.ts";
import { speechFrames } from "../fixtures/speech-frames.ts";

type TestApp = Awaited<ReturnType<typeof startTestApp>>;

const sampleRate = 16_000;
const realtimeKey = "sk-realtime-secret-4242";
/** The fake speaks 60 ms of 24 kHz 16-bit audio a character. */
const bytesPerChar = Math.round(0.06 * 24_000) * 2;


let utterances = 0;
function speak(client: PracticeClient, sessionId: string, ms: number): string {
  const clientMessageId = `rt-voice-${++utterances}`;
  client.send({ type: "voice-start", sessionId, clientMessageId, sampleRate });
  for (const frame of speechFrames(ms)) client.sendAudio(frame);
  client.send({ type: "voice-end", sessionId, clientMessageId });
  return clientMessageId;
}

describe.each(databaseKinds)("voice practice on the Realtime engine (%s)", (kind) => {
  let fake: FakeOpenAiServer;
  let server: TestApp;
  let baseUrl: string;
  let cookie: string;
  let dir: string;
  const audio: FakeAudioOptions = { transcript: "Hello Ingrid, tell me what happened." };
  const clients: PracticeClient[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "spar-realtime-"));
    await cp(path.join(repositoryRoot, "scenarios"), dir, { recursive: true });
    fake = await FakeOpenAiServer.start({ firstTokenMs: 5, tokensPerSecond: 200, audio, realtime: { apiKey: realtimeKey, transcriptionMs: 30, firstAudioMs: 20, wordsPerSecond: 40 } });
    server = await startTestApp(kind, {
      environment: {
        SPAR_LIBRARY_DIR: dir,
        // The text persona, for typed turns.
        OPENAI_API_KEY: "sk-text",
        OPENAI_BASE_URL: fake.baseUrl,
        SPAR_VOICE_ENGINE: "realtime",
        SPAR_REALTIME_BASE_URL: fake.baseUrl,
        SPAR_REALTIME_API_KEY: realtimeKey,
        SPAR_REALTIME_MODEL: "gpt-realtime-test",
        SPAR_REALTIME_VOICE: "cedar",
        SPAR_TTS_LEAD_MS: "600000",
        SPAR_MAX_OPEN_SESSIONS: "20",
      },
      socket: { messagesPerSecond: 400, messageBurst: 400 },
    });
    baseUrl = await server.app.listen({ port: 0, host: "127.0.0.1" });
    cookie = await demoSignIn(server.app, "kenji.watanabe@demo.example");
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await server?.close();
    await fake?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function started(scenarioId?: string) {
    const began = await PracticeClient.started(baseUrl, cookie, clients, scenarioId);
    began.client.send({ type: "voice-mode", sessionId: began.session.id, on: true });
    return began;
  }
  const storedTurn = (sessionId: string, seq: number) => server.database.prisma.turn.findFirst({ where: { sessionId, seq } });

  it("offers voice with the server speaking, and reads the opening line aloud through the Realtime model", async () => {
    const { client, session, opening } = await started();
    expect(session.voice).toEqual({ available: true, speech: "server" });
    client.send({ type: "speak", sessionId: session.id, seq: 1 });
    await client.next("speech-end", (message) => message.seq === 1 && message.last, 15_000);
    // Sentence by sentence, each read aloud by the model in the persona's voice.
    const sentences = client.received.flatMap((message) => (message.type === "speech-start" && message.seq === 1 ? [message.text] : []));
    expect(sentences.join(" ")).toBe(opening?.text);
    const spokenBytes = client.audio.filter((frame) => frame.seq === 1).reduce((sum, frame) => sum + frame.bytes.length, 0);
    expect(spokenBytes).toBe(bytesPerChar * sentences.join("").length);
    const readAloud = fake.realtimeResponses.slice(-sentences.length);
    expect(readAloud.map((response) => response.text)).toEqual(sentences);
    expect(readAloud.every((response) => response.voice === "cedar" && response.conversation === "none")).toBe(true);
    expect(fake.realtimeConnections.at(-1)).toMatchObject({ model: "gpt-realtime-test", authorization: `Bearer ${realtimeKey}` });
  });

  it("commits the spoken turn from the Realtime transcript before acknowledging it, and the persona's speech and words before reply-end", async () => {
    const { client, session } = await started();
    audio.transcript = "I hear you, and I am sorry about the invoices.";
    const reply = "I have heard sorry before. What are you going to do about the credit?";
    fake.script({ kind: "reply", text: reply });
    const chatRequests = fake.requests.length;
    const since = client.mark;
    const clientMessageId = speak(client, session.id, 1_200);
    const final = await client.next("voice-transcript", (message) => message.final, 15_000, since);
    expect(final.text).toBe("I hear you, and I am sorry about the invoices.");
    const accepted = await client.next("turn-accepted", (message) => message.clientMessageId === clientMessageId, 15_000, since);
    // Acknowledged means stored.
    expect(await storedTurn(session.id, accepted.seq)).toMatchObject({ speaker: "learner", text: final.text });
    const seq = accepted.seq + 1;
    const start = await client.next("speech-start", (message) => message.seq === seq, 15_000, since);
    expect(start).toMatchObject({ index: 0, text: "", format: "pcm", sampleRate: 24_000 });
    const replyEnd = await client.next("reply-end", (message) => message.turn.seq === seq, 15_000, since);
    expect(replyEnd.turn.text).toBe(reply);
    // Its words streamed as they were spoken, and the turn was stored before reply-end.
    const streamed = client.received.slice(since).flatMap((message) => (message.type === "reply-delta" && message.seq === seq ? [message.text] : []));
    expect(streamed.length).toBeGreaterThan(1);
    expect(streamed.join("").trim()).toBe(reply);
    expect(await storedTurn(session.id, seq)).toMatchObject({ speaker: "persona", text: reply, status: "complete" });
    await client.next("speech-end", (message) => message.seq === seq && message.last, 15_000, since);
    const bytes = client.audio.filter((frame) => frame.seq === seq).reduce((sum, frame) => sum + frame.bytes.length, 0);
    expect(bytes).toBe(bytesPerChar * reply.length);

    // The persona was the Realtime model, with the text engine's prompt and the learner's own audio.
    expect(fake.requests.length).toBe(chatRequests);
    const asked = fake.realtimeResponses.at(-1);
    expect(asked?.instructions).toMatch(/^You are Carmen Ortiz/);
    expect(asked?.instructions).toContain("Behaviour rules (when the other person does this, you do that):");
    expect(asked?.itemTypes.slice(-2)).toEqual(["item_reference", "system"]);
    expect(asked?.messages.at(-1)?.content).toMatch(/^Right now your trust is \d+\/10/);
    expect(asked?.messages.at(-2)?.content).toBe(final.text);
    // The key stayed on the server.
    expect(JSON.stringify(client.received)).not.toContain(realtimeKey);
  });

  it("stops the reply the learner speaks over and keeps only the share of it they heard", async () => {
    const { client, session } = await started();
    audio.transcript = "Tell me about the credit.";
    const reply = "The credit? It never came. I called twice, and each time someone promised to call me back, and nobody ever did, not once in three weeks of waiting for it.";
    fake.script({ kind: "reply", text: reply });
    const since = client.mark;
    const first = speak(client, session.id, 800);
    const accepted = await client.next("turn-accepted", (message) => message.clientMessageId === first, 15_000, since);
    const seq = accepted.seq + 1;
    await client.next("speech-start", (message) => message.seq === seq, 15_000, since);
    // Wait for a few words' audio, then speak over it having heard a little.
    await expect.poll(() => client.audio.filter((frame) => frame.seq === seq).length, { timeout: 15_000 }).toBeGreaterThan(4);
    const receivedMs = (client.audio.filter((frame) => frame.seq === seq).reduce((sum, frame) => sum + frame.bytes.length, 0) / 2 / 24_000) * 1000;
    audio.transcript = "Sorry, let me fix that today.";
    client.send({ type: "speech-played", sessionId: session.id, seq, playedMs: Math.round(receivedMs / 2), stopped: true });
    const second = speak(client, session.id, 600);
    const revised = await client.next("turn-revised", (message) => message.turn.seq === seq, 15_000, since);
    expect(revised.turn).toMatchObject({ status: "interrupted", interruption: "barge-in" });
    expect(reply.startsWith(revised.turn.text)).toBe(true);
    expect(revised.turn.text.length).toBeGreaterThan(0);
    expect(revised.turn.text.length).toBeLessThan(reply.length / 2);
    const next = await client.next("turn-accepted", (message) => message.clientMessageId === second, 15_000, since);
    expect(next.seq).toBe(seq + 1);
    expect(fake.realtimeResponses.find((response) => response.text.startsWith("The credit?"))?.status).toBe("cancelled");
    expect(await storedTurn(session.id, seq)).toMatchObject({ text: revised.turn.text, interruption: "barge-in" });
    await client.next("reply-end", (message) => message.turn.seq === seq + 2, 15_000, since);
  });

  it("holds back the audio of words the guard has not cleared, and speaks the deflection instead", async () => {
    const { client, session } = await started();
    audio.transcript = "What is really going on this week?";
    fake.script({ kind: "reply", text: "Fine, I will tell you. What you know but do not volunteer: the board meeting on Thursday evening, where I present the quarterly financials." });
    const since = client.mark;
    const clientMessageId = speak(client, session.id, 800);
    const accepted = await client.next("turn-accepted", (message) => message.clientMessageId === clientMessageId, 15_000, since);
    const seq = accepted.seq + 1;
    const replyEnd = await client.next("reply-end", (message) => message.turn.seq === seq, 15_000, since);
    expect(replyEnd.turn).toMatchObject({ guarded: true });
    await client.next("speech-end", (message) => message.seq === seq && message.last, 15_000, since);
    const streamed = client.received.slice(since).flatMap((message) => (message.type === "reply-delta" && message.seq === seq ? [message.text] : [])).join("");
    expect(streamed).not.toContain("do not volunteer");
    // The model's own speech went no further than the words the guard let through ...
    const engineBytes = client.audio.filter((frame) => frame.seq === seq && frame.index === 0).reduce((sum, frame) => sum + frame.bytes.length, 0);
    expect(engineBytes).toBeLessThanOrEqual(bytesPerChar * streamed.length);
    // ... and the stored deflection was read aloud after it.
    const spokenAfter = client.received.slice(since).flatMap((message) => (message.type === "speech-start" && message.seq === seq && message.index > 0 ? [message.text] : [])).join(" ");
    expect(spokenAfter).toBe(replyEnd.turn.text);
  });

  it("answers typed turns with the text engine while voice is off", async () => {
    const { client, session } = await started();
    client.send({ type: "voice-mode", sessionId: session.id, on: false });
    const responses = fake.realtimeResponses.length;
    const chatRequests = fake.requests.length;
    fake.script({ kind: "reply", text: "Typed, and answered in text." });
    const { reply } = await client.say(session.id, "I am typing this one.");
    expect(reply.text).toBe("Typed, and answered in text.");
    expect(fake.requests.length).toBe(chatRequests + 1);
    expect(fake.realtimeResponses.length).toBe(responses);
    expect(client.audio.filter((frame) => frame.seq === reply.seq)).toEqual([]);
  });
});
