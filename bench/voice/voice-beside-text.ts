// Audio must not starve the text path: learners practising by text on one server process, the
// first token's added latency measured over a window, then again over a window while one more
// learner speaks turn after turn (audio in real time, the persona's speech streamed back). The
// two windows come from the same run, so the ratio is the figure.
import { PracticeClient } from "../../tests/fixtures/practice-client.ts";
import { startEnvironment } from "../load/load-environment.ts";
import { LoadDriver, scenarioId, thinkAround, type WindowFigures } from "../load/practice-load.ts";
import { sleep } from "../load/stats.ts";
import { detectorQuietMs } from "./voice-latency.ts";

export interface VoiceBesideTextFigures {
  textOnly: WindowFigures["firstTokenAdded"] & { replies: number; serverLoopP99: number; generatorLoopP99: number };
  withVoice: WindowFigures["firstTokenAdded"] & { replies: number; serverLoopP99: number; generatorLoopP99: number };
  voiceTurns: number;
  /** The persona's speech received by the speaking learner over the window. */
  audioKiB: number;
  /** Audio the speaking learner sent over the window. */
  sentKiB: number;
}

const frame = Buffer.alloc(16_000 * 2 * 0.04, 3); // 40 ms at 16 kHz

/**
 * One learner speaking turn after turn, in real time, until stopped: speaks two seconds, listens
 * to the reply for up to three seconds, and speaks over the rest of it (a barge-in), so audio
 * flows both ways all the time.
 */
interface SpeakingCounts {
  turns: number;
  sentBytes: number;
  /** The persona's speech received so far. */
  received: () => number;
}

async function speakingLearner(baseUrl: string, cookie: string, stopped: () => boolean, counts: SpeakingCounts) {
  const client = await PracticeClient.connect(baseUrl, cookie);
  counts.received = () => client.audio.reduce((sum, each) => sum + each.bytes.length, 0);
  let sessionId = "";
  const startSession = async () => {
    const since = client.mark;
    client.send({ type: "session-start", scenarioId: "frustrated-customer" });
    sessionId = (await client.next("session-ready", () => true, 60_000, since)).session.id;
    client.send({ type: "voice-mode", sessionId, on: true });
  };
  await startSession();
  let turn = 0;
  try {
    while (!stopped()) {
      const since = client.mark;
      const clientMessageId = `speaking-${turn++}`;
      client.send({ type: "voice-start", sessionId, clientMessageId, sampleRate: 16_000 });
      // Two seconds of speech, then the detector's quiet, each frame as it would be captured.
      for (let sent = 0; sent < 2_000 + detectorQuietMs; sent += 40) {
        if (sent === 2_000) client.send({ type: "voice-pause", sessionId, clientMessageId });
        client.sendAudio(frame);
        counts.sentBytes += frame.length;
        await sleep(40);
      }
      client.send({ type: "voice-end", sessionId, clientMessageId });
      const accepted = await client.next("turn-accepted", (message) => message.clientMessageId === clientMessageId, 60_000, since);
      const seq = accepted.seq + 1;
      await client.next("speech-start", (message) => message.seq === seq, 60_000, since);
      const listened = await Promise.race([client.next("speech-end", (message) => message.seq === seq && message.last, 60_000, since).then(() => true), sleep(3_000).then(() => false)]);
      counts.turns++;
      client.send({ type: "speech-played", sessionId, seq, playedMs: 3_000, heardChars: 20, stopped: !listened });
      if (client.received.slice(since).some((message) => message.type === "session-ended")) await startSession();
    }
  } finally {
    client.close();
  }
}

export async function voiceBesideTextRun(settings: { database: "pglite" | "postgresql"; sessions: number; thinkMs: number; windowMs: number }): Promise<VoiceBesideTextFigures> {
  const environment = await startEnvironment({
    database: settings.database,
    nodes: 1,
    accounts: settings.sessions + 1,
    coalesceMs: 0,
    scoring: false,
    // The long-tailed model of the practice runs, with transcription and speech at published speeds.
    model: { firstToken: "long-tail", tokensPerSecond: 50, replyTokens: 40, stamp: true, audio: { transcript: "Tell me what happened.", transcriptionMs: 300, speechFirstByteMs: 150 } },
  });
  const driver = new LoadDriver(environment);
  const server = environment.servers[0];
  const speaker = environment.accounts[settings.sessions];
  let stop = false;
  let speaking: Promise<void> | null = null;
  try {
    if (!server || !speaker) throw new Error("no server or no account for the speaking learner");
    await driver.connect(settings.sessions);
    driver.activate(settings.sessions, { scenarioId, thinkMs: thinkAround(settings.thinkMs), turnsPerSession: 0 }, 0);
    await sleep(settings.thinkMs * 1.5 + 3_000);
    const textOnly = await driver.measure(settings.windowMs);
    const counts: SpeakingCounts = { turns: 0, sentBytes: 0, received: () => 0 };
    speaking = speakingLearner(server.baseUrl, speaker.cookie, () => stop, counts);
    // Its first turn under way before the window opens.
    await sleep(4_000);
    const before = { turns: counts.turns, sentBytes: counts.sentBytes, received: counts.received() };
    const withVoice = await driver.measure(settings.windowMs);
    const during = { turns: counts.turns - before.turns, audioBytes: counts.received() - before.received, sentBytes: counts.sentBytes - before.sentBytes };
    return {
      textOnly: { ...textOnly.firstTokenAdded, replies: textOnly.replies, serverLoopP99: textOnly.serverLoopP99, generatorLoopP99: textOnly.generatorLoopP99 },
      withVoice: { ...withVoice.firstTokenAdded, replies: withVoice.replies, serverLoopP99: withVoice.serverLoopP99, generatorLoopP99: withVoice.generatorLoopP99 },
      voiceTurns: during.turns, audioKiB: during.audioBytes / 1024, sentKiB: during.sentBytes / 1024 };
  } finally {
    stop = true;
    await speaking?.catch(() => {});
    driver.close();
    await environment.stop();
  }
}
