import { BadRequestError, toFile } from "openai";
import type { LlmObserver } from "./llm-observer.ts";
import { type EndpointSettings, openAiClient } from "./openai-client.ts";

/**
 * Speech to text and text to speech through OpenAI-compatible endpoints (`/v1/audio/transcriptions`
 * and `/v1/audio/speech`): OpenAI, Azure, or a self-hosted server (speaches, LocalAI,
 * Kokoro-FastAPI, vLLM). What one server does not take, the plainer request does.
 */

export interface SpeechEndpoint extends EndpointSettings {
  timeoutMs: number;
  observer?: LlmObserver;
}

export interface HeardWord {
  text: string;
  /** From the start of the audio sent. */
  startMs: number;
  endMs: number;
}

export interface Transcription {
  text: string;
  /** Empty when the server gives no word times. */
  words: HeardWord[];
}

interface VerboseTranscription {
  text: string;
  words?: { word: string; start: number; end: number }[];
}

/** Endpoints (base URL and model) that refused word times once: asked for plain text from then on. */
const withoutWordTimes = new Set<string>();

export class OpenAiSpeechToText {
  private readonly client;
  private readonly key: string;

  constructor(private readonly endpoint: SpeechEndpoint) {
    this.client = openAiClient({ ...endpoint, maxRetries: 1 });
    this.key = `${endpoint.baseUrl ?? "openai"} ${endpoint.model}`;
  }

  /** Transcribes one learner turn, a WAV file's bytes, with word times where the server gives them. */
  async transcribe(wav: Uint8Array, options: { language?: string; signal?: AbortSignal } = {}): Promise<Transcription> {
    const file = await toFile(wav, "turn.wav", { type: "audio/wav" });
    const common = { file, model: this.endpoint.model, ...(options.language ? { language: options.language } : {}) };
    if (!withoutWordTimes.has(this.key)) {
      try {
        const verbose = (await this.client.audio.transcriptions.create(
          { ...common, response_format: "verbose_json", timestamp_granularities: ["word"] },
          { signal: options.signal },
        )) as unknown as VerboseTranscription;
        return {
          text: verbose.text.trim(),
          words: (verbose.words ?? []).map((word) => ({ text: word.word, startMs: Math.round(word.start * 1000), endMs: Math.round(word.end * 1000) })),
        };
      } catch (error) {
        // A server without verbose_json (or word granularity) answers 400: ask for the text alone.
        if (!(error instanceof BadRequestError)) throw error;
        withoutWordTimes.add(this.key);
      }
    }
    const plain = await this.client.audio.transcriptions.create({ ...common, response_format: "json" }, { signal: options.signal });
    return { text: plain.text.trim(), words: [] };
  }
}

export interface SpokenAudio {
  /** "pcm": 16-bit little-endian mono at `sampleRate`, as OpenAI sends it; "wav" where pcm is refused. */
  format: "pcm" | "wav";
  sampleRate: number;
  chunks: AsyncIterable<Uint8Array>;
}

/** Endpoints that refused raw PCM once. */
const withoutPcm = new Set<string>();

/** OpenAI's PCM output: 24 kHz. Self-hosted servers that take `pcm` follow it. */
export const speechSampleRate = 24_000;

export class OpenAiTextToSpeech {
  private readonly client;
  private readonly key: string;

  constructor(private readonly endpoint: SpeechEndpoint & { voice: string }) {
    this.client = openAiClient({ ...endpoint, maxRetries: 1 });
    this.key = `${endpoint.baseUrl ?? "openai"} ${endpoint.model}`;
  }

  /** Speaks one sentence; the audio streams back as the server produces it. */
  async speak(text: string, options: { voice?: string; signal?: AbortSignal } = {}): Promise<SpokenAudio> {
    const voice = options.voice ?? this.endpoint.voice;
    const request = (format: "pcm" | "wav") =>
      this.client.audio.speech.create({ model: this.endpoint.model, voice, input: text, response_format: format }, { signal: options.signal });
    let format: "pcm" | "wav" = withoutPcm.has(this.key) ? "wav" : "pcm";
    let response: Response;
    try {
      response = await request(format);
    } catch (error) {
      if (format === "wav" || !(error instanceof BadRequestError)) throw error;
      withoutPcm.add(this.key);
      format = "wav";
      response = await request(format);
    }
    return { format, sampleRate: speechSampleRate, chunks: bodyChunks(response) };
  }
}

async function* bodyChunks(response: Response): AsyncIterable<Uint8Array> {
  if (!response.body) return;
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      if (value.byteLength > 0) yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/** The 44-byte header of a mono 16-bit PCM WAV file. */
export function wavHeader(dataBytes: number, sampleRate: number): Buffer {
  const header = Buffer.alloc(44);
  header.write("RIFF", 0);
  header.writeUInt32LE(36 + dataBytes, 4);
  header.write("WAVEfmt ", 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write("data", 36);
  header.writeUInt32LE(dataBytes, 40);
  return header;
}

/** 16-bit mono PCM as a WAV file, for a transcription endpoint. */
export function wavFile(pcm: readonly Uint8Array[], sampleRate: number): Buffer {
  const data = Buffer.concat(pcm);
  return Buffer.concat([wavHeader(data.length, sampleRate), data]);
}
