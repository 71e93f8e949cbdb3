// The voice latency budget: from the end of the learner's speech (voice-end, sent when the
// browser's voice-activity detector decides the learner has stopped) to the first audio of the
// persona's reply reaching the learner. A server process as users run it, configured only by
// environment, and the fake provider on loopback in this process, answering transcription, chat
// and speech at set speeds and stamping when each request arrived and was answered. What the
// providers took is subtracted from what the learner waited: the rest is the server's.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { type Database, migrateDatabase, openDatabase } from "@spar/db";
import { createPostgresTestDatabase, type PostgresTestDatabase } from "@spar/db/testing";
import { type FakeAudioOptions, FakeOpenAiServer, fakeTokens, epochNow } from "@spar/llm/testing";
import { freePort } from "../../tests/fixtures/processes.ts";
import { PracticeClient } from "../../tests/fixtures/practice-client.ts";
import { createLearnerAccounts } from "../load/learner-accounts.ts";
import type { CpuProfile } from "../load/inspector.ts";
import { startServerProcess } from "../load/server-process.ts";
import { percentile } from "../load/stats.ts";

export interface ProviderSpeeds {
  /** Time to answer a transcription. */
  sttMs: number;
  /** Time to the persona's first token. */
  llmFirstTokenMs: number;
  tokensPerSecond: number;
  /** Time to the first byte of speech. */
  ttsFirstByteMs: number;
}

/** OpenAI-like speeds, as the budget states them. */
export const publishedSpeeds: ProviderSpeeds = { sttMs: 300, llmFirstTokenMs: 400, tokensPerSecond: 50, ttsFirstByteMs: 150 };
/** Providers that answer at once: whatever remains is the server's. */
export const instantSpeeds: ProviderSpeeds = { sttMs: 0, llmFirstTokenMs: 0, tokensPerSecond: 1_000, ttsFirstByteMs: 0 };

/** What the persona says every time: a short first sentence, as the persona prompt asks for speech. */
const reply = "Fine, I'm listening. The invoice was wrong again this month, and nobody called me back about it.";
const firstSentenceTokens = (() => {
  const tokens = fakeTokens(reply);
  let text = "";
  for (const [index, token] of tokens.entries()) {
    text += token;
    if (/[.!?]\s*$/.test(text)) return index + 1;
  }
  return tokens.length;
})();

// What the learner says: a different turn each time, as people do (a repeated text would be read
// from the classifier's cache). 8 × 13 = 104 turns before any repeats.
const openers = [
  "I'm sorry this has dragged on.",
  "Thanks for staying on the line.",
  "I can hear how annoying this has been.",
  "That shouldn't have happened.",
  "Let me make sure I've got this right.",
  "Okay, I understand.",
  "You've been patient with us.",
  "I see the invoice on my screen now.",
];
const asks = [
  "Tell me what happened with the invoice.",
  "When did you first notice the charge was wrong?",
  "What would a good outcome look like for you today?",
  "How much were you billed compared with what you expected?",
  "Who did you speak to the last time you called?",
  "Would a refund to your card by Friday work for you?",
  "Can you walk me through the last three months of bills?",
  "What did the previous agent promise you?",
  "How has this affected your team's budget this quarter?",
  "I'll credit the difference and call you back on Tuesday at ten.",
  "Is the duplicate charge the only thing that's wrong?",
  "What matters most to you in fixing this?",
  "Shall we go through the account settings together now?",
];
/** The learner's words on the `index`th transcription of the run. */
export function learnerLine(index: number): string {
  return `${openers[index % openers.length]} ${asks[Math.floor(index / openers.length) % asks.length]}`;
}

export interface TurnStages {
  stt: number;
  /** Transcription answered → the persona's request arrived: the turn stored, the reply begun. */
  serverBeforeLlm: number;
  llmFirstToken: number;
  /** First token → the token that completes the first sentence. */
  firstSentence: number;
  /** That token → the speech request arrived: streamed, guarded, cut into a sentence, asked for. */
  serverBeforeTts: number;
  ttsFirstByte: number;
  /** Speech's first byte → the first audio frame at the learner: relayed over the socket. */
  serverAndNetworkToLearner: number;
  endToEnd: number;
  serverAdded: number;
}

export interface VoiceLatencyFigures {
  turns: number;
  stages: Record<keyof TurnStages, { p50: number; p95: number }>;
  /** Each measured turn's stages, in order. */
  samples: TurnStages[];
}

const frame = Buffer.alloc(16_000 * 2 * 0.04); // 40 ms of 16 kHz silence
const speechFrames = 30; // 1.2 s

/** The web app's detector waits this long in quiet before it is sure the learner has finished (voice-activity.ts). */
export const detectorQuietMs = 700;

/**
 * `pause`: the client says when the learner went quiet (voice-pause), as the web app does, and
 * the detector's quiet follows in real time before voice-end; without it, voice-end comes at once
 * and the whole transcription is waited for.
 */
export async function voiceLatencyRun(settings: {
  turns: number;
  speeds: ProviderSpeeds;
  pause: boolean;
  database?: "pglite" | "postgresql";
  /** More environment for the server process. */
  environment?: Record<string, string>;
  /** Given the server's CPU profile of the measured turns (after the warm-up). */
  onProfile?: (profile: CpuProfile) => void;
}): Promise<VoiceLatencyFigures> {
  let transcriptions = 0;
  const audio: FakeAudioOptions = { transcript: () => learnerLine(transcriptions++), transcriptionMs: settings.speeds.sttMs, speechFirstByteMs: settings.speeds.ttsFirstByteMs };
  const fake = await FakeOpenAiServer.start({ firstTokenMs: settings.speeds.llmFirstTokenMs, tokensPerSecond: settings.speeds.tokensPerSecond, reply: () => reply, audio });
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "spar-voice-bench-"));
  let postgres: PostgresTestDatabase | null = null;
  let database: Database;
  if (settings.database === "postgresql") {
    postgres = await createPostgresTestDatabase();
    database = await openDatabase({ kind: "postgresql", url: postgres.url, poolSize: 2 });
  } else database = await openDatabase({ kind: "pglite", dataDir });
  await migrateDatabase(database);
  const [account] = await createLearnerAccounts(database, 1);
  await database.close();
  if (!account) throw new Error("no learner account");
  const server = await startServerProcess(
    {
      OPENAI_API_KEY: "sk-bench",
      OPENAI_BASE_URL: fake.baseUrl,
      SPAR_PERSONA_MODEL: "bench-persona",
      SPAR_SCORING_WORKER: "off",
      ...(postgres ? { DATABASE_URL: postgres.url } : { SPAR_DATA_DIR: dataDir }),
      // One transcription per turn: the interim ones would share the fake's time.
      SPAR_STT_INTERIM_MS: "0",
      // Each turn waits for the reply's speech to be sent: unpaced, so turns follow at once (pacing
      // never delays the first audio, which is what is measured).
      SPAR_TTS_LEAD_MS: "600000",
      // Turns follow each other at once here, faster than anyone speaks.
      SPAR_PRACTICE_MESSAGES_PER_SECOND: "100",
      SPAR_PRACTICE_MESSAGE_BURST: "100",
      ...settings.environment,
    },
    await freePort(),
  );
  const samples: TurnStages[] = [];
  const client = await PracticeClient.connect(server.baseUrl, account.cookie);
  try {
    let sessionId = "";
    const startSession = async () => {
      const since = client.mark;
      client.send({ type: "session-start", scenarioId: "frustrated-customer" });
      sessionId = (await client.next("session-ready", () => true, 30_000, since)).session.id;
      client.send({ type: "voice-mode", sessionId, on: true });
    };
    await startSession();
    // Two turns warm the code paths first.
    for (let turn = 0; turn < settings.turns + 2; turn++) {
      if (turn === 2 && settings.onProfile) await server.inspector.startProfile();
      const since = client.mark;
      const clientMessageId = `bench-${turn}`;
      client.send({ type: "voice-start", sessionId, clientMessageId, sampleRate: 16_000 });
      const stampsBefore = fake.stamps.length;
      // In real time, as a microphone gives it: the server hears the learner while the last
      // turn's bookkeeping (its speech-played) finishes, as it would with a person speaking.
      for (let index = 0; index < speechFrames; index++) {
        client.sendAudio(frame);
        await new Promise((resolve) => setTimeout(resolve, 40));
      }
      if (settings.pause) {
        client.send({ type: "voice-pause", sessionId, clientMessageId });
        // The detector's quiet, as it happens.
        for (let waited = 0; waited < detectorQuietMs; waited += 40) {
          client.sendAudio(frame);
          await new Promise((resolve) => setTimeout(resolve, 40));
        }
      }
      const emissionsBefore = fake.emissions.length;
      const audioBefore = client.audio.length;
      const spokeAt = epochNow();
      client.send({ type: "voice-end", sessionId, clientMessageId });
      const refused = client.next("error", () => true, 60_000, since);
      refused.catch(() => {});
      const accepted = await Promise.race([client.next("turn-accepted", (message) => message.clientMessageId === clientMessageId, 30_000, since), refused]);
      if (accepted.type === "error") {
        // The turn limit ended the session, and the ending reached the client after its last reply: start another, speak again.
        if (accepted.code !== "SESSION_ENDED") throw new Error(`turn ${turn} refused: ${accepted.code} ${accepted.message}`);
        await startSession();
        turn--;
        continue;
      }
      const seq = accepted.seq + 1;
      const last = await client.next("speech-end", (message) => message.seq === seq && message.last, 60_000, since);
      const heardAt = client.audio.slice(audioBefore).find((each) => each.seq === seq)?.at;
      const stamps = fake.stamps.slice(stampsBefore);
      const stt = stamps.find((each) => each.kind === "transcription");
      const chat = stamps.find((each) => each.kind === "chat");
      const tts = stamps.find((each) => each.kind === "speech");
      const emissions = fake.emissions.slice(emissionsBefore).filter((each) => each.requestId === chat?.requestId);
      const firstToken = emissions.find((each) => each.token === 0);
      const sentenceToken = emissions.find((each) => each.token === firstSentenceTokens - 1);
      if (!heardAt || !stt?.answeredAt || !chat || !tts?.answeredAt || !firstToken || !sentenceToken) throw new Error(`turn ${turn}: a stage went unstamped`);
      const firstTokenAt = performance.timeOrigin + firstToken.at;
      const sentenceAt = performance.timeOrigin + sentenceToken.at;
      // With a pause, transcription began before voice-end: only what is left of it after is waited for.
      const sttWaited = Math.max(0, stt.answeredAt - Math.max(stt.receivedAt, spokeAt));
      const stages: TurnStages = {
        stt: sttWaited,
        serverBeforeLlm: chat.receivedAt - Math.max(stt.answeredAt, spokeAt),
        llmFirstToken: firstTokenAt - chat.receivedAt,
        firstSentence: sentenceAt - firstTokenAt,
        serverBeforeTts: tts.receivedAt - sentenceAt,
        ttsFirstByte: tts.answeredAt - tts.receivedAt,
        serverAndNetworkToLearner: heardAt - tts.answeredAt,
        endToEnd: heardAt - spokeAt,
        serverAdded: 0,
      };
      // Everything the learner waited for that no provider was working on.
      stages.serverAdded = stages.endToEnd - stages.stt - (sentenceAt - chat.receivedAt) - stages.ttsFirstByte;
      if (turn >= 2) samples.push(stages);
      client.send({ type: "speech-played", sessionId, seq, playedMs: 1_000, stopped: false });
      void last;
      // The scenario's turn limit ends a session now and then: carry on in a new one.
      const ended = client.received.slice(since).some((message) => message.type === "session-ended");
      if (ended) await startSession();
    }
    if (settings.onProfile) settings.onProfile(await server.inspector.stopProfile());
  } finally {
    client.close();
    await server.stop();
    await fake.close();
    await rm(dataDir, { recursive: true, force: true });
    await postgres?.drop();
  }
  const stages = Object.fromEntries(
    (Object.keys(samples[0] ?? {}) as (keyof TurnStages)[]).map((key) => {
      const values = samples.map((sample) => sample[key]);
      return [key, { p50: percentile(values, 50), p95: percentile(values, 95) }];
    }),
  ) as VoiceLatencyFigures["stages"];
  return { turns: samples.length, stages, samples };
}

const stageLabels: Record<keyof TurnStages, string> = {
  stt: "speech to text, waited for after the detector's decision (provider)",
  serverBeforeLlm: "server: turn stored, reply asked for",
  llmFirstToken: "LLM first token (provider)",
  firstSentence: "first sentence complete (provider)",
  serverBeforeTts: "server: sentence cut, speech asked for",
  ttsFirstByte: "text to speech first byte (provider)",
  serverAndNetworkToLearner: "server and socket: first audio to the learner",
  endToEnd: "end of speech → first persona audio at the learner",
  serverAdded: "server-added in all",
};

/** The stages as a table, p50 / p95 in milliseconds. */
export function describeVoiceLatency(label: string, figures: VoiceLatencyFigures): string {
  const rows = (Object.keys(stageLabels) as (keyof TurnStages)[]).map((key) => `| ${stageLabels[key]} | ${figures.stages[key].p50.toFixed(1)} / ${figures.stages[key].p95.toFixed(1)} ms |`);
  return [`\n${label}, ${figures.turns} spoken turns:`, "| stage | p50 / p95 |", "| --- | --- |", ...rows].join("\n");
}
