// Speech to text and text to speech through the real openai SDK against the fake
// OpenAI-compatible server, including the refusals of self-hosted servers.
import { afterEach, describe, expect, it } from "vitest";
import { OpenAiSpeechToText, OpenAiTextToSpeech, speechSampleRate } from "../src/speech.ts";
import { type FakeAudioOptions, wavHeader } from "../src/testing/fake-audio.ts";
import { FakeOpenAiServer } from "../src/testing/fake-openai-server.ts";

/** A short WAV file of silence at 16 kHz, as the browser's recorder would send a turn. */
function silentWav(milliseconds: number): Uint8Array {
  const bytes = Math.round((16_000 * milliseconds) / 1000) * 2;
  return Buffer.concat([wavHeader(bytes, 16_000), Buffer.alloc(bytes)]);
}

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<{ bytes: number }> {
  let bytes = 0;
  for await (const chunk of chunks) bytes += chunk.byteLength;
  return { bytes };
}

describe("speech through OpenAI-compatible audio endpoints", () => {
  const servers: FakeOpenAiServer[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.close();
  });
  const start = async (audio: FakeAudioOptions = {}) => {
    const server = await FakeOpenAiServer.start({ audio });
    servers.push(server);
    return server;
  };
  const endpoint = (server: FakeOpenAiServer, model: string) => ({ apiKey: "test-key", baseUrl: server.baseUrl, model, timeoutMs: 5_000 });

  it("transcribes a turn with word times, sending the audio as a file", async () => {
    const server = await start({ transcript: "Help me understand what changed." });
    const heard = await new OpenAiSpeechToText(endpoint(server, "whisper-1")).transcribe(silentWav(500));
    expect(heard.text).toBe("Help me understand what changed.");
    expect(heard.words.map((word) => word.text)).toEqual(["Help", "me", "understand", "what", "changed"]);
    expect(heard.words[1]).toEqual({ text: "me", startMs: 333, endMs: 633 });
    expect(server.audioRequests).toMatchObject([{ path: "transcriptions", model: "whisper-1", responseFormat: "verbose_json", fileBytes: 44 + 16_000, durationMs: 500 }]);
    expect(server.audioRequests[0]?.arrival).toMatchObject({ path: "/v1/audio/transcriptions", authorization: "Bearer test-key" });
  });

  it("asks a server without word times for the text alone, and remembers", async () => {
    const server = await start({ transcript: "Okay.", rejectWordTimes: true });
    const stt = new OpenAiSpeechToText(endpoint(server, "local-whisper"));
    expect(await stt.transcribe(silentWav(100))).toEqual({ text: "Okay.", words: [] });
    expect(await stt.transcribe(silentWav(100))).toEqual({ text: "Okay.", words: [] });
    expect(server.audioRequests.map((request) => request.responseFormat)).toEqual(["verbose_json", "json", "json"]);
  });

  it("streams a sentence's speech as raw 24 kHz PCM, in the voice asked for", async () => {
    const server = await start();
    const tts = new OpenAiTextToSpeech({ ...endpoint(server, "gpt-4o-mini-tts"), voice: "alloy" });
    const spoken = await tts.speak("I hear you.", { voice: "coral" });
    expect(spoken).toMatchObject({ format: "pcm", sampleRate: speechSampleRate });
    // 11 characters at 60 ms each: 0.66 s of 16-bit samples.
    expect((await collect(spoken.chunks)).bytes).toBe(Math.round(11 * 0.06 * 24_000) * 2);
    expect(server.audioRequests).toMatchObject([{ path: "speech", model: "gpt-4o-mini-tts", responseFormat: "pcm", voice: "coral", input: "I hear you." }]);
  });

  it("runs both directions on Azure OpenAI: deployment URLs, the api-key header and the api-version", async () => {
    const server = await FakeOpenAiServer.start({ azure: { apiKey: "azure-key" }, audio: { transcript: "Walk me through the charges." } });
    servers.push(server);
    // The resource's endpoint, as the portal gives it.
    const azure = { apiKey: "azure-key", baseUrl: server.baseUrl.replace(/\/v1$/, ""), kind: "azure" as const, azureApiVersion: "2025-03-01-preview", timeoutMs: 5_000 };
    const heard = await new OpenAiSpeechToText({ ...azure, model: "spar-transcribe" }).transcribe(silentWav(500));
    expect(heard.text).toBe("Walk me through the charges.");
    const spoken = await new OpenAiTextToSpeech({ ...azure, model: "spar-voice", voice: "alloy" }).speak("Fine.");
    expect((await collect(spoken.chunks)).bytes).toBe(Math.round(5 * 0.06 * 24_000) * 2);
    expect(server.audioRequests.map((request) => request.arrival)).toEqual([
      { path: "/openai/deployments/spar-transcribe/audio/transcriptions", apiVersion: "2025-03-01-preview", apiKeyHeader: "azure-key", authorization: null },
      { path: "/openai/deployments/spar-voice/audio/speech", apiVersion: "2025-03-01-preview", apiKeyHeader: "azure-key", authorization: null },
    ]);
    // A wrong key is refused as Azure refuses it, and the refusal reaches the caller.
    await expect(new OpenAiSpeechToText({ ...azure, apiKey: "wrong-key", model: "spar-transcribe" }).transcribe(silentWav(200))).rejects.toThrow(/Access denied/);
  });

  it("takes WAV from a server that refuses raw PCM, and asks for WAV from then on", async () => {
    const server = await start({ rejectPcm: true });
    const tts = new OpenAiTextToSpeech({ ...endpoint(server, "kokoro"), voice: "af_bella" });
    const first = await tts.speak("Fine.");
    expect(first.format).toBe("wav");
    expect((await collect(first.chunks)).bytes).toBe(44 + Math.round(5 * 0.06 * 24_000) * 2);
    expect((await tts.speak("Go on.")).format).toBe("wav");
    expect(server.audioRequests.map((request) => request.responseFormat)).toEqual(["pcm", "wav", "wav"]);
  });
});
