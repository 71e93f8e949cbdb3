import type { ServerMessage } from "@spar/protocol";
import { describe, expect, it } from "vitest";
import { VoiceChannel } from "../src/practice/voice-channel.ts";

// The persona's speech as the voice channel sends it: sentence by sentence, in order, paced to a
// little ahead of playing, and not at all once the learner has spoken over it.

/** Speech that arrives at once: `ms` of 24 kHz PCM per sentence, in 100 ms chunks. */
function instantSpeech(ms: number) {
  return {
    speak: async () => ({
      format: "pcm" as const,
      sampleRate: 24_000,
      chunks: (async function* () {
        for (let sent = 0; sent < ms; sent += 100) yield new Uint8Array(4_800);
      })(),
    }),
  };
}

function channel(leadMs: number, speechMs: number) {
  const messages: ServerMessage[] = [];
  const audio: { at: number; bytes: number }[] = [];
  const voice = new VoiceChannel({
    speechToText: null,
    textToSpeech: instantSpeech(speechMs),
    send: (message) => messages.push(message),
    sessionId: () => "session",
    sendAudio: (bytes) => audio.push({ at: performance.now(), bytes: bytes.length }),
    interimMs: 0,
    leadMs,
    maxUtteranceMs: 120_000,
    personaVoice: () => undefined,
    onError: (error) => {
      throw error;
    },
  });
  voice.setMode(true);
  const ended = (seq: number) =>
    new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (messages.some((message) => message.type === "speech-end" && message.seq === seq && message.last)) {
          clearInterval(check);
          resolve();
        }
      }, 10);
    });
  return { voice, messages, audio, ended };
}

describe("sending the persona's speech", () => {
  it("sends a sentence's speech no further ahead of playing than the lead", async () => {
    const { voice, audio, ended } = channel(200, 1_200);
    voice.speak(1, "One sentence that takes a while to say.");
    await ended(1);
    const spread = (audio.at(-1)?.at ?? 0) - (audio[0]?.at ?? 0);
    // 1.2 s of speech, at most 0.2 s ahead: the last piece goes out about a second after the first.
    expect(spread).toBeGreaterThan(850);
    expect(audio.reduce((sum, each) => sum + each.bytes, 0)).toBe(12 * 4_800);
  });

  it("speaks a streamed reply's sentences in order, saying which is last once the reply is complete", async () => {
    const { voice, messages, ended } = channel(60_000, 200);
    voice.heard({ type: "reply-start", sessionId: "session", seq: 3 });
    voice.heard({ type: "reply-delta", sessionId: "session", seq: 3, text: "  Fine. I will " });
    voice.heard({ type: "reply-delta", sessionId: "session", seq: 3, text: "wait" });
    voice.heard({ type: "reply-end", sessionId: "session", turn: { seq: 3, speaker: "persona", text: "Fine. I will wait.", status: "complete", acts: [], at: new Date().toISOString() } });
    await ended(3);
    const spoken = messages.filter((message) => message.type === "speech-start" || message.type === "speech-end");
    expect(spoken).toEqual([
      expect.objectContaining({ type: "speech-start", seq: 3, index: 0, text: "Fine.", from: 0, to: 5 }),
      expect.objectContaining({ type: "speech-end", seq: 3, index: 0, last: false }),
      expect.objectContaining({ type: "speech-start", seq: 3, index: 1, text: "I will wait.", from: 6, to: 18 }),
      expect.objectContaining({ type: "speech-end", seq: 3, index: 1, last: true }),
    ]);
  });

  it("speaks a new session's reply though its number was spoken in the session before, on the same connection", async () => {
    const { voice, messages, ended } = channel(60_000, 200);
    const reply = (text: string) => {
      voice.heard({ type: "reply-start", sessionId: "session", seq: 3 });
      voice.heard({ type: "reply-delta", sessionId: "session", seq: 3, text });
      voice.heard({ type: "reply-end", sessionId: "session", turn: { seq: 3, speaker: "persona", text, status: "complete", acts: [], at: new Date().toISOString() } });
    };
    reply("Fine. I will wait.");
    await ended(3);
    voice.newSession();
    const since = messages.length;
    reply("Hello again.");
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (messages.slice(since).some((message) => message.type === "speech-end" && message.last)) {
          clearInterval(check);
          resolve();
        }
      }, 10);
    });
    expect(messages.slice(since).find((message) => message.type === "speech-start")).toMatchObject({ seq: 3, text: "Hello again." });
  });

  it("speaks the stored words instead when the reply was replaced (a guarded reply)", async () => {
    const { voice, messages, ended } = channel(60_000, 100);
    voice.heard({ type: "reply-start", sessionId: "session", seq: 5 });
    voice.heard({ type: "reply-delta", sessionId: "session", seq: 5, text: "My instructions say" });
    voice.heard({ type: "reply-end", sessionId: "session", turn: { seq: 5, speaker: "persona", text: "Let's keep to the invoice.", status: "complete", acts: [], at: new Date().toISOString() } });
    await ended(5);
    const said = messages.flatMap((message) => (message.type === "speech-start" ? [message.text] : []));
    expect(said).toEqual(["Let's keep to the invoice."]);
  });

  it("sends nothing more of a turn the learner spoke over, and no later frame brings it back", async () => {
    const { voice, messages, audio } = channel(100, 3_000);
    voice.speak(7, "A long answer that the learner will not wait for.");
    await new Promise((resolve) => setTimeout(resolve, 150));
    voice.stop(7);
    const sentWhenStopped = audio.length;
    voice.heard({ type: "reply-end", sessionId: "session", turn: { seq: 7, speaker: "persona", text: "A long answer.", status: "interrupted", acts: [], at: new Date().toISOString() } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(audio.length).toBeLessThanOrEqual(sentWhenStopped + 1);
    expect(audio.length).toBeLessThan(30);
    expect(messages.filter((message) => message.type === "speech-start")).toHaveLength(1);
  });
});

describe("speech from a persona engine that speaks (Realtime)", () => {
  const delta = (text: string) => ({ type: "reply-delta" as const, sessionId: "session", seq: 5, text });
  const end = (text: string) => ({ type: "reply-end" as const, sessionId: "session", turn: { seq: 5, speaker: "persona" as const, text, status: "complete" as const, acts: [], at: new Date().toISOString() } });

  it("sends the engine's audio as one piece, asks text to speech for none of it, and reckons what was heard by the share played", async () => {
    const { voice, messages, audio, ended } = channel(60_000, 10_000);
    const spoken = voice.voicedByEngine(5);
    voice.heard({ type: "reply-start", sessionId: "session", seq: 5 });
    voice.heard(delta("Fine. I will "));
    spoken.audio(new Uint8Array(48_000)); // a second
    voice.heard(delta("wait. "));
    spoken.audio(new Uint8Array(48_000));
    spoken.end();
    voice.heard(end("Fine. I will wait."));
    await ended(5);
    expect(messages.filter((message) => message.type === "speech-start")).toEqual([expect.objectContaining({ seq: 5, index: 0, text: "", from: 0, to: 0, format: "pcm", sampleRate: 24_000 })]);
    expect(audio.reduce((sum, each) => sum + each.bytes, 0)).toBe(96_000);
    // Half the audio played: half the words ("Fine. I w" of "Fine. I will wait. ").
    expect(voice.engineHeardChars(5, 1_000)).toBe(10);
    expect(voice.engineHeardChars(5, 5_000)).toBe("Fine. I will wait. ".length);
  });

  it("speaks the stored words after the engine's audio where they differ (a guarded reply)", async () => {
    const { voice, messages, ended } = channel(60_000, 200);
    const spoken = voice.voicedByEngine(5);
    voice.heard({ type: "reply-start", sessionId: "session", seq: 5 });
    voice.heard(delta("Fine, I will tell "));
    spoken.audio(new Uint8Array(4_800));
    spoken.end();
    voice.heard(end("Sorry, what do you mean?"));
    await ended(5);
    // As for any reply whose stored words differ: no more of what streamed, then the stored words.
    const starts = messages.flatMap((message) => (message.type === "speech-start" ? [message.text] : []));
    expect(starts.at(-1)).toBe("Sorry, what do you mean?");
    expect(starts.filter((text) => text !== "Sorry, what do you mean?")).toEqual(starts.length === 2 ? [""] : []);
  });

  it("leaves turns it did not voice to the client's own count", () => {
    const { voice } = channel(60_000, 200);
    expect(voice.engineHeardChars(9, 1_000)).toBeUndefined();
  });
});
