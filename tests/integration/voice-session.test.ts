// Voice practice over the real socket, on both databases, with the real openai SDK talking to
// the fake provider's chat, transcription and speech endpoints: speech in as binary frames,
// words back as they are heard, the turn stored with its times; the persona's reply spoken
// sentence by sentence while its text still streams; barge-in keeps only what was heard; review
// before sending; and every way a voice message can be refused.
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { databaseKinds } from "@spar/db/testing";
import { type FakeAudioOptions, FakeOpenAiServer } from "@spar/llm/testing";
import { demoSignIn, startTestApp } from "@spar/server/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { repositoryRoot } from "../../packages/domain/test/library/read-files.ts";
import { PracticeClient } from "../fixtures/practice-client.ts";
import { speechFrames } from "../fixtures/speech-frames.ts";

type TestApp = Awaited<ReturnType<typeof startTestApp>>;

const sampleRate = 16_000;


let utterances = 0;
/** Speaks `ms` of audio as one utterance; returns its clientMessageId. */
function speak(client: PracticeClient, sessionId: string, ms: number, extra: { review?: boolean } = {}): string {
  const clientMessageId = openUtterance(client, sessionId, ms, extra);
  client.send({ type: "voice-end", sessionId, clientMessageId });
  return clientMessageId;
}

/** Opens an utterance and speaks `ms` of audio into it, left open (with `pause`, the learner then goes quiet: voice-pause). Returns its clientMessageId. */
function openUtterance(client: PracticeClient, sessionId: string, ms: number, extra: { review?: boolean; pause?: boolean } = {}): string {
  const clientMessageId = `voice-${++utterances}`;
  const { pause, ...start } = extra;
  client.send({ type: "voice-start", sessionId, clientMessageId, sampleRate, ...start });
  for (const frame of speechFrames(ms)) client.sendAudio(frame);
  if (pause) client.send({ type: "voice-pause", sessionId, clientMessageId });
  return clientMessageId;
}

describe.each(databaseKinds)("voice practice over the practice socket (%s)", (kind) => {
  let fake: FakeOpenAiServer;
  let server: TestApp;
  let baseUrl: string;
  let cookie: string;
  let dir: string;
  const audio: FakeAudioOptions = { transcript: "Hello Ingrid, tell me what happened." };
  const clients: PracticeClient[] = [];

  beforeAll(async () => {
    // A copy of the library with one scenario kept to text, and a persona with a voice of her own.
    dir = await mkdtemp(path.join(os.tmpdir(), "spar-voice-"));
    await cp(path.join(repositoryRoot, "scenarios"), dir, { recursive: true });
    const textOnly = path.join(dir, "missed-deadline", "missed-deadline.scenario.yaml");
    await writeFile(textOnly, `allow_voice: false\n${await readFile(textOnly, "utf8")}`);
    fake = await FakeOpenAiServer.start({ firstTokenMs: 10, tokensPerSecond: 60, audio });
    server = await startTestApp(kind, {
      environment: {
        SPAR_LIBRARY_DIR: dir,
        OPENAI_API_KEY: "sk-test",
        OPENAI_BASE_URL: fake.baseUrl,
        SPAR_STT_INTERIM_MS: "150",
        // Speech is sent as fast as it comes here; pacing has its own test (voice-channel.test.ts).
        SPAR_TTS_LEAD_MS: "600000",
        SPAR_TTS_VOICE: "sage",
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

  const started = (scenarioId?: string) => PracticeClient.started(baseUrl, cookie, clients, scenarioId);

  it("says the session can be spoken, and speaks the opening line in the server's voice", async () => {
    const { client, session, opening } = await started();
    expect(session.voice).toEqual({ available: true, speech: "server" });
    client.send({ type: "voice-mode", sessionId: session.id, on: true });
    client.send({ type: "speak", sessionId: session.id, seq: 1 });
    const end = await client.next("speech-end", (message) => message.seq === 1 && message.last);
    const starts = client.received.filter((message) => message.type === "speech-start" && message.seq === 1);
    expect(starts.length).toBe(end.index + 1);
    // The sentences are the opening line, in order, where they lie in it.
    for (const start of starts) if (start.type === "speech-start") expect(opening?.text.slice(start.from, start.to)).toBe(start.text);
    expect(starts[0]).toMatchObject({ format: "pcm", sampleRate: 24_000 });
    const spoken = client.audio.filter((frame) => frame.seq === 1);
    expect(spoken.length).toBeGreaterThan(0);
    expect(spoken.every((frame) => frame.bytes.length % 2 === 0)).toBe(true);
    const requests = fake.audioRequests.filter((request) => request.path === "speech");
    expect(requests.at(-1)).toMatchObject({ voice: "sage", responseFormat: "pcm" });
  });

  it("hears a spoken turn: the words so far while speaking, then the turn stored with its times", async () => {
    const { client, session } = await started();
    audio.transcript = ({ durationMs }) => (durationMs < 1_000 ? "I hear" : "I hear you, and I am sorry about the invoices.");
    const clientMessageId = `voice-${++utterances}`;
    client.send({ type: "voice-start", sessionId: session.id, clientMessageId, sampleRate });
    // Spoken in real time, so the interim transcriptions run while the learner speaks.
    for (const frame of speechFrames(1_600)) {
      client.sendAudio(frame);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await client.next("voice-transcript", (message) => !message.final, 10_000, 0);
    const since = client.mark;
    client.send({ type: "voice-end", sessionId: session.id, clientMessageId });
    const final = await client.next("voice-transcript", (message) => message.final, 10_000, since);
    expect(final.text).toBe("I hear you, and I am sorry about the invoices.");
    const accepted = await client.next("turn-accepted", (message) => message.clientMessageId === clientMessageId, 10_000, since);
    await client.next("reply-end", (message) => message.turn.seq === accepted.seq + 1, 30_000, since);
    const stored = await server.database.prisma.turn.findFirstOrThrow({ where: { sessionId: session.id, seq: accepted.seq } });
    expect(stored.text).toBe("I hear you, and I am sorry about the invoices.");
    const speech = stored.speech as { startedAt: string; endedAt: string; words: { text: string }[] };
    const spokenMs = Date.parse(speech.endedAt) - Date.parse(speech.startedAt);
    expect(spokenMs).toBeGreaterThan(0);
    expect(spokenMs).toBeLessThanOrEqual(1_600);
    expect(speech.words.map((word) => word.text)).toEqual(["I", "hear", "you", "and", "I", "am", "sorry", "about", "the", "invoices"]);
    // The WAV sent for transcription was the whole utterance.
    expect(fake.audioRequests.filter((request) => request.path === "transcriptions").at(-1)?.durationMs).toBeCloseTo(1_600, 0);

    // A resumed client sees the turn as spoken.
    const other = await PracticeClient.connect(baseUrl, cookie);
    clients.push(other);
    other.send({ type: "session-resume", sessionId: session.id, lastSeq: 0 });
    const resumed = await other.next("session-ready");
    expect(resumed.turns.find((turn) => turn.seq === accepted.seq)).toMatchObject({ spoken: true });
    expect(resumed.turns.find((turn) => turn.seq === 1)?.spoken).toBeUndefined();
  });

  it("speaks the first sentence of a reply before the reply is finished", async () => {
    const { client, session } = await started();
    client.send({ type: "voice-mode", sessionId: session.id, on: true });
    audio.transcript = "What went wrong with the invoice?";
    fake.script({ kind: "reply", text: "It was wrong again. The credit was missing, and nobody called me back about it for a week." });
    const since = client.mark;
    const clientMessageId = speak(client, session.id, 800);
    const accepted = await client.next("turn-accepted", (message) => message.clientMessageId === clientMessageId, 10_000, since);
    const seq = accepted.seq + 1;
    const firstSpeech = await client.next("speech-start", (message) => message.seq === seq, 30_000, since);
    const replyEnd = await client.next("reply-end", (message) => message.turn.seq === seq, 30_000, since);
    expect(firstSpeech.text).toBe("It was wrong again.");
    expect(client.received.indexOf(firstSpeech)).toBeLessThan(client.received.indexOf(replyEnd));
    const last = await client.next("speech-end", (message) => message.seq === seq && message.last, 30_000, since);
    expect(last.index).toBe(1);
    expect(client.audio.filter((frame) => frame.seq === seq).length).toBeGreaterThan(0);
    client.send({ type: "speech-played", sessionId: session.id, seq, playedMs: 4_000, stopped: false });
    await expect.poll(async () => (await server.database.prisma.turn.findFirstOrThrow({ where: { sessionId: session.id, seq } })).speech).not.toBeNull();
  });

  it("keeps a reply the learner spoke over only up to what was heard, and takes the learner's words", async () => {
    const { client, session } = await started();
    client.send({ type: "voice-mode", sessionId: session.id, on: true });
    audio.transcript = "Tell me about the credit.";
    fake.script({ kind: "reply", text: "The credit? It never came. I called twice, and each time someone promised to call me back, and nobody ever did, not once in three weeks of waiting." });
    const since = client.mark;
    const first = speak(client, session.id, 800);
    const accepted = await client.next("turn-accepted", (message) => message.clientMessageId === first, 10_000, since);
    const seq = accepted.seq + 1;
    // The learner hears the first sentence, then speaks over the persona while the reply still streams.
    const heard = await client.next("speech-start", (message) => message.seq === seq, 30_000, since);
    expect(heard.text).toBe("The credit?");
    audio.transcript = "I am sorry, let me fix that today.";
    client.send({ type: "speech-played", sessionId: session.id, seq, playedMs: 900, heardChars: heard.to, stopped: true });
    const second = speak(client, session.id, 600);
    const revised = await client.next("turn-revised", (message) => message.turn.seq === seq, 30_000, since);
    expect(revised.turn).toMatchObject({ text: "The credit?", status: "interrupted", interruption: "barge-in" });
    const next = await client.next("turn-accepted", (message) => message.clientMessageId === second, 30_000, since);
    expect(next.seq).toBe(seq + 1);
    const stored = await server.database.prisma.turn.findFirstOrThrow({ where: { sessionId: session.id, seq } });
    expect(stored).toMatchObject({ text: "The credit?", status: "interrupted", interruption: "barge-in" });
    // No more of the stopped reply was spoken after the learner spoke over it.
    const stoppedAt = client.received.indexOf(revised);
    expect(client.received.slice(stoppedAt).some((message) => message.type === "speech-start" && message.seq === seq)).toBe(false);
    // Heard again later, the turn keeps its first hearing.
    client.send({ type: "speech-played", sessionId: session.id, seq, playedMs: 100, heardChars: 0, stopped: true });
    await client.next("reply-end", (message) => message.turn.seq === seq + 2, 30_000, since);
    expect((await server.database.prisma.turn.findFirstOrThrow({ where: { sessionId: session.id, seq } })).text).toBe("The credit?");
  });

  it("cuts a reply that was written in full down to what the learner heard before speaking over it", async () => {
    const { client, session } = await started();
    client.send({ type: "voice-mode", sessionId: session.id, on: true });
    audio.transcript = "Go on.";
    fake.script({ kind: "reply", text: "I waited a week. Then I called again, and again nobody knew anything." });
    const since = client.mark;
    const first = speak(client, session.id, 500);
    const accepted = await client.next("turn-accepted", (message) => message.clientMessageId === first, 10_000, since);
    const seq = accepted.seq + 1;
    const written = await client.next("reply-end", (message) => message.turn.seq === seq, 30_000, since);
    expect(written.turn.status).toBe("complete");
    const heard = await client.next("speech-start", (message) => message.seq === seq && message.index === 0, 30_000, since);
    client.send({ type: "speech-played", sessionId: session.id, seq, playedMs: 1_200, heardChars: heard.to + 5, stopped: true });
    const revised = await client.next("turn-revised", (message) => message.turn.seq === seq, 30_000, since);
    // Up to the end of the word being spoken when the learner cut in.
    expect(revised.turn).toMatchObject({ text: "I waited a week. Then", status: "interrupted", interruption: "barge-in" });
  });

  it("lets the learner correct the words before they are sent, keeping the speech's times", async () => {
    const { client, session } = await started();
    audio.transcript = "I can see the in voice was wrong.";
    const since = client.mark;
    const clientMessageId = speak(client, session.id, 700, { review: true });
    const final = await client.next("voice-transcript", (message) => message.final && message.clientMessageId === clientMessageId, 10_000, since);
    expect(final.text).toBe("I can see the in voice was wrong.");
    // Nothing is stored until the learner sends the corrected words.
    expect(await server.database.prisma.turn.count({ where: { sessionId: session.id } })).toBe(1);
    client.send({ type: "turn", sessionId: session.id, clientMessageId, text: "I can see the invoice was wrong." });
    const accepted = await client.next("turn-accepted", (message) => message.clientMessageId === clientMessageId, 10_000, since);
    const stored = await server.database.prisma.turn.findFirstOrThrow({ where: { sessionId: session.id, seq: accepted.seq } });
    expect(stored.text).toBe("I can see the invoice was wrong.");
    expect(stored.speech).not.toBeNull();
  });

  it("transcribes from the learner's pause, so the words are ready when the detector is sure", async () => {
    const { client, session } = await started();
    audio.transcript = ({ durationMs }) => `Heard ${Math.round(durationMs)} ms.`;
    audio.transcriptionMs = 300;
    try {
      const since = client.mark;
      const transcriptionsBefore = fake.audioRequests.filter((request) => request.path === "transcriptions").length;
      const clientMessageId = openUtterance(client, session.id, 800, { pause: true });
      // The detector's wait: silence, sent as it happens, while the words are transcribed.
      for (const frame of speechFrames(400)) client.sendAudio(frame.fill(0));
      await new Promise((resolve) => setTimeout(resolve, 400));
      const endAt = performance.now();
      client.send({ type: "voice-end", sessionId: session.id, clientMessageId });
      const final = await client.next("voice-transcript", (message) => message.final, 10_000, since);
      // The words up to the pause, transcribed once, and ready sooner than a transcription takes.
      expect(final.text).toBe("Heard 800 ms.");
      expect(performance.now() - endAt).toBeLessThan(300);
      expect(fake.audioRequests.filter((request) => request.path === "transcriptions").length - transcriptionsBefore).toBe(1);

      // Spoken again after a pause: the whole utterance is heard.
      const resumed = `voice-${++utterances}`;
      await client.next("reply-end", () => true, 30_000, since);
      client.send({ type: "voice-start", sessionId: session.id, clientMessageId: resumed, sampleRate });
      for (const frame of speechFrames(400)) client.sendAudio(frame);
      client.send({ type: "voice-pause", sessionId: session.id, clientMessageId: resumed });
      client.send({ type: "voice-resume", sessionId: session.id, clientMessageId: resumed });
      for (const frame of speechFrames(400)) client.sendAudio(frame);
      client.send({ type: "voice-end", sessionId: session.id, clientMessageId: resumed });
      const whole = await client.next("voice-transcript", (message) => message.final && message.clientMessageId === resumed, 10_000, since);
      expect(whole.text).toBe("Heard 800 ms.");
    } finally {
      audio.transcriptionMs = 0;
    }
  });

  it("answers a spoken turn from the transcript as it stands at voice-end, though the session was read at the pause", async () => {
    const { client, session } = await started();
    audio.transcript = "Walk me through the charges on the March invoice.";
    const other = await PracticeClient.connect(baseUrl, cookie);
    clients.push(other);
    other.send({ type: "session-resume", sessionId: session.id, lastSeq: 1 });
    await other.next("session-ready");
    const since = client.mark;
    const transcriptionsBefore = fake.audioRequests.filter((request) => request.path === "transcriptions").length;
    const clientMessageId = openUtterance(client, session.id, 800, { pause: true });
    // Read at the pause; then, before the learner is known to have finished, a turn typed in another tab is answered.
    await vi.waitFor(() => expect(fake.audioRequests.filter((request) => request.path === "transcriptions").length).toBe(transcriptionsBefore + 1));
    const typed = await other.say(session.id, "Sorry, one thing first: is the refund still pending?");
    expect(typed.reply.seq).toBe(3);
    client.send({ type: "voice-end", sessionId: session.id, clientMessageId });
    const accepted = await client.next("turn-accepted", (message) => message.clientMessageId === clientMessageId, 10_000, since);
    expect(accepted.seq).toBe(4);
    const end = await client.next("reply-end", (message) => message.turn.seq === 5, 30_000, since);
    // The reply was asked for with the typed turn and its answer in the transcript.
    const asked = JSON.stringify(fake.requests.at(-1)?.messages);
    expect(asked).toContain("is the refund still pending?");
    expect(asked).toContain("Walk me through the charges on the March invoice.");
    expect(client.received.slice(since).filter((message) => message.type === "reply-start").map((message) => message.seq)).toEqual([3, 5]);
    const turns = await server.database.prisma.turn.findMany({ where: { sessionId: session.id }, orderBy: { seq: "asc" } });
    expect(turns.map((turn) => turn.speaker)).toEqual(["persona", "learner", "persona", "learner", "persona"]);
    expect(turns.at(-1)?.text).toBe(end.turn.text);
  });

  it("refuses voice where it cannot be had, and says why", async () => {
    const { client, session } = await started("missed-deadline");
    expect(session.voice).toMatchObject({ available: false, reason: "This scenario is practised by text only." });
    client.send({ type: "voice-start", sessionId: session.id, clientMessageId: "v-refused", sampleRate });
    expect(await client.next("error", (message) => message.clientMessageId === "v-refused")).toMatchObject({ code: "VOICE_UNAVAILABLE" });
    client.send({ type: "voice-mode", sessionId: session.id, on: true });
    await client.next("error", (message) => message.code === "VOICE_UNAVAILABLE" && message.clientMessageId === undefined);
    // Audio with no utterance open is refused once, not once a frame.
    const since = client.mark;
    for (const frame of speechFrames(200)) client.sendAudio(frame);
    client.send({ type: "open-sessions" });
    await client.next("open-sessions", () => true, 10_000, since);
    expect(client.received.slice(since).filter((message) => message.type === "error")).toHaveLength(1);
  });

  it("stores nothing when no words are heard, and drops an utterance past two minutes", async () => {
    const { client, session } = await started();
    audio.transcript = " ";
    const silent = speak(client, session.id, 400);
    expect(await client.next("error", (message) => message.clientMessageId === silent)).toMatchObject({ code: "SPEECH_NOT_HEARD" });
    client.send({ type: "voice-start", sessionId: session.id, clientMessageId: "v-long", sampleRate: 8_000 });
    const second = Buffer.alloc(8_000 * 2);
    for (let sent = 0; sent <= 120; sent++) client.sendAudio(second);
    expect(await client.next("error", (message) => message.code === "SPEECH_TOO_LONG")).toBeDefined();
    client.send({ type: "voice-end", sessionId: session.id, clientMessageId: "v-long" });
    expect(await client.next("error", (message) => message.clientMessageId === "v-long")).toMatchObject({ code: "VOICE_UNAVAILABLE" });
    expect(await server.database.prisma.turn.count({ where: { sessionId: session.id } })).toBe(1);
  });
});

describe("a server without speech-to-text", () => {
  it("offers no voice and says what an administrator sets", async () => {
    const server = await startTestApp("pglite");
    try {
      const baseUrl = await server.app.listen({ port: 0, host: "127.0.0.1" });
      const client = await PracticeClient.connect(baseUrl, await demoSignIn(server.app, "kenji.watanabe@demo.example"));
      client.send({ type: "session-start", scenarioId: "frustrated-customer" });
      const { session } = await client.next("session-ready");
      expect(session.voice).toMatchObject({ available: false, speech: "browser", reason: expect.stringContaining("SPAR_STT_BASE_URL") });
      client.close();
    } finally {
      await server.close();
    }
  });
});

describe("voice practice on Azure OpenAI", () => {
  it("hears, answers and speaks through the resource's deployments, with its api-key and api-version", async () => {
    const fake = await FakeOpenAiServer.start({ azure: { apiKey: "azure-key" }, firstTokenMs: 5, tokensPerSecond: 200, audio: { transcript: "Walk me through the charges, please." } });
    // The resource's endpoint, as the portal gives it; on loopback the kind is set, not guessed.
    const resource = fake.baseUrl.replace(/\/v1$/, "");
    const server = await startTestApp("pglite", {
      environment: {
        OPENAI_API_KEY: "azure-key",
        OPENAI_BASE_URL: resource,
        AZURE_OPENAI_API_VERSION: "2025-03-01-preview",
        SPAR_PERSONA_PROVIDER: "azure",
        SPAR_PERSONA_MODEL: "persona-deployment",
        SPAR_STT_PROVIDER: "azure",
        SPAR_STT_MODEL: "transcribe-deployment",
        SPAR_TTS_PROVIDER: "azure",
        SPAR_TTS_MODEL: "voice-deployment",
        SPAR_TTS_LEAD_MS: "600000",
      },
    });
    try {
      const baseUrl = await server.app.listen({ port: 0, host: "127.0.0.1" });
      const client = await PracticeClient.connect(baseUrl, await demoSignIn(server.app, "kenji.watanabe@demo.example"));
      client.send({ type: "session-start", scenarioId: "frustrated-customer" });
      const { session } = await client.next("session-ready");
      expect(session.voice).toMatchObject({ available: true });
      client.send({ type: "voice-mode", sessionId: session.id, on: true });
      const since = client.mark;
      const clientMessageId = speak(client, session.id, 600);
      const accepted = await client.next("turn-accepted", (message) => message.clientMessageId === clientMessageId, 10_000, since);
      await client.next("speech-start", (message) => message.seq === accepted.seq + 1, 30_000, since);
      await client.next("reply-end", (message) => message.turn.seq === accepted.seq + 1, 30_000, since);
      const stored = await server.database.prisma.turn.findFirstOrThrow({ where: { sessionId: session.id, seq: accepted.seq } });
      expect(stored.text).toBe("Walk me through the charges, please.");
      const paths = new Set(fake.audioRequests.map((request) => request.arrival?.path));
      expect(paths).toEqual(new Set(["/openai/deployments/transcribe-deployment/audio/transcriptions", "/openai/deployments/voice-deployment/audio/speech"]));
      for (const request of fake.audioRequests) expect(request.arrival).toMatchObject({ apiVersion: "2025-03-01-preview", apiKeyHeader: "azure-key", authorization: null });
      expect(fake.arrivals.at(-1)?.path).toBe("/openai/deployments/persona-deployment/chat/completions");
      client.close();
    } finally {
      await server.close();
      await fake.close();
    }
  });
});
