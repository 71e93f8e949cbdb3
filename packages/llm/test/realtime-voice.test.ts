// Spar's Realtime engine against the fake provider's /v1/realtime websocket, over loopback.
import { classifyTurn, decidePersonaMove, initialPersonaState, personaInstructions, type Scenario, type TranscriptTurn, turnGuidance } from "@spar/domain";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { RealtimeVoice, type RealtimeSettings } from "../src/realtime/realtime-voice.ts";
import { wavFile } from "../src/speech.ts";
import { FakeOpenAiServer } from "../src/testing/fake-openai-server.ts";
import { shippedScenario } from "./shipped-scenario.ts";

/** `ms` of 16 kHz speech-like noise as the browser sends it. */
const speech16k = (ms: number) => {
  const pcm = Buffer.alloc(Math.round((ms / 1000) * 16_000) * 2);
  for (let at = 0; at < pcm.length; at += 2) pcm.writeInt16LE(Math.round(Math.sin(at / 7) * 3_000), at);
  return wavFile([pcm], 16_000);
};

describe("the Realtime persona", () => {
  let fake: FakeOpenAiServer;
  let scenario: Scenario;
  const voices: RealtimeVoice[] = [];
  const voice = (overrides: Partial<RealtimeSettings> = {}) => {
    const made = new RealtimeVoice({
      baseUrl: fake.baseUrl, apiKey: "sk-realtime", model: "gpt-realtime", transcriptionModel: "gpt-4o-mini-transcribe", voice: "marin",
      connectTimeoutMs: 2_000, turnDeadlineMs: 5_000, stallMs: 2_000, transcriptionTimeoutMs: 2_000, promptBudgetTokens: 6_000, maxTokens: 400,
      ...overrides,
    });
    voices.push(made);
    return made;
  };
  const request = (learnerText: string) => {
    const state = initialPersonaState(scenario);
    const transcript: TranscriptTurn[] = [
      { seq: 1, speaker: "persona", text: scenario.persona.opening_line },
      { seq: 2, speaker: "learner", text: learnerText },
    ];
    const move = decidePersonaMove(scenario, state, { text: learnerText, acts: classifyTurn(learnerText), number: 1 });
    return { scenario, state, move, transcript };
  };

  beforeAll(async () => {
    fake = await FakeOpenAiServer.start({
      audio: { transcript: ({ durationMs }) => `I spoke for ${Math.round(durationMs / 100) * 100} milliseconds.` },
      realtime: { apiKey: "sk-realtime", transcriptionMs: 20, wordsPerSecond: 100 },
      reply: () => "I know it was late. The vendor let us down.",
    });
    scenario = await shippedScenario("missed-deadline");
  });
  afterEach(() => {
    for (const each of voices.splice(0)) each.close();
  });
  afterAll(async () => {
    await fake.close();
  });

  it("opens one session with the key in its headers, audio both ways and no turn detection of its own", async () => {
    const realtime = voice();
    await realtime.transcribe(speech16k(600));
    const connection = fake.realtimeConnections.at(-1);
    expect(connection).toMatchObject({ model: "gpt-realtime", authorization: "Bearer sk-realtime" });
    expect(connection?.session).toMatchObject({
      type: "realtime",
      audio: { input: { format: { type: "audio/pcm", rate: 24_000 }, transcription: { model: "gpt-4o-mini-transcribe" }, turn_detection: null }, output: { voice: "marin" } },
    });
  });

  it("transcribes a turn from 16 kHz audio raised to 24 kHz, its length kept", async () => {
    const heard = await voice().transcribe(speech16k(1_500));
    expect(heard).toEqual({ text: "I spoke for 1500 milliseconds.", words: [] });
    expect(fake.realtimeConnections.at(-1)?.events).toEqual(expect.arrayContaining(["input_audio_buffer.clear", "input_audio_buffer.append", "input_audio_buffer.commit"]));
  });

  it("answers with the text engine's instructions and guidance, hearing the learner's own audio", async () => {
    const realtime = voice();
    const heard = await realtime.transcribe(speech16k(800));
    const deltas: string[] = [];
    let audioBytes = 0;
    const asked = request(heard.text);
    const result = await realtime.reply(asked, { signal: new AbortController().signal, onDelta: (delta) => deltas.push(delta), onAudio: (pcm) => (audioBytes += pcm.byteLength) });
    expect(result).toMatchObject({ ok: true, text: "I know it was late. The vendor let us down.", interrupted: null });
    expect(deltas.join("")).toBe("I know it was late. The vendor let us down.");
    // 60 ms of 24 kHz 16-bit audio a character, as the fake speaks.
    expect(audioBytes).toBe(Math.round(0.06 * 24_000) * 2 * "I know it was late. The vendor let us down.".length);
    const sent = fake.realtimeResponses.at(-1);
    expect(sent?.instructions).toBe(personaInstructions(scenario));
    expect(sent?.conversation).toBe("none");
    expect(sent?.itemTypes).toEqual(["assistant", "item_reference", "system"]);
    expect(sent?.messages.at(-1)?.content).toBe(turnGuidance(asked.state, asked.move, scenario));
    expect(sent?.messages.at(-2)?.content).toBe(heard.text);
  });

  it("stops a reply the learner spoke over and keeps what was said", async () => {
    const realtime = voice();
    const stop = new AbortController();
    const deltas: string[] = [];
    fake.script({ kind: "reply", text: "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen" });
    const result = await realtime.reply(request("Hello."), {
      signal: stop.signal,
      onDelta: (delta) => {
        deltas.push(delta);
        if (deltas.length === 3) stop.abort();
      },
    });
    expect(result).toMatchObject({ ok: true, interrupted: "stopped" });
    if (!result.ok) return;
    expect(result.text.split(" ").length).toBeLessThan(16);
    expect(result.text).toBe(deltas.join("").trim());
    expect(fake.realtimeResponses.at(-1)?.status).toBe("cancelled");
  });

  it("marks a reply the token limit cut, so it can be asked for again", async () => {
    const result = await voice({ maxTokens: 3 }).reply(request("Hello."), { signal: new AbortController().signal, onDelta: () => {} });
    expect(result).toMatchObject({ ok: true, text: "I know it", interrupted: "token-limit" });
  });

  it("reads a stored line aloud in the voice asked for", async () => {
    const spoken = await voice().speak("Thanks for making time.", { voice: "cedar" });
    let bytes = 0;
    for await (const chunk of spoken.chunks) bytes += chunk.byteLength;
    expect(spoken).toMatchObject({ format: "pcm", sampleRate: 24_000 });
    expect(bytes).toBe(Math.round(0.06 * 24_000) * 2 * "Thanks for making time.".length);
    expect(fake.realtimeResponses.at(-1)).toMatchObject({ voice: "cedar", text: "Thanks for making time.", itemTypes: ["user"] });
  });

  it("is unavailable, not broken, when the key is refused or nothing listens", async () => {
    const refused = await voice({ apiKey: "sk-wrong" }).reply(request("Hello."), { signal: new AbortController().signal, onDelta: () => {} });
    expect(refused).toEqual({ ok: false, code: "unavailable", message: "the Realtime service did not answer" });
    await expect(voice({ apiKey: "sk-wrong" }).transcribe(speech16k(500))).rejects.toThrow(/401/);
    const nobody = await voice({ baseUrl: "http://127.0.0.1:9/v1" }).reply(request("Hello."), { signal: new AbortController().signal, onDelta: () => {} });
    expect(nobody).toMatchObject({ ok: false, code: "unavailable" });
  });

  it("reports a commit the service refuses (too little audio) as a failed transcription", async () => {
    await expect(voice().transcribe(speech16k(40))).rejects.toThrow(/buffer too small/);
  });
});
