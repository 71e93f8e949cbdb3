// The fake provider's audio endpoints: /v1/audio/transcriptions and /v1/audio/speech, at set
// speeds, with the refusals self-hosted servers give (no word times, no raw PCM).
import type { IncomingMessage, ServerResponse } from "node:http";
import { wavHeader } from "../speech.ts";

export { wavHeader };

export interface FakeAudioOptions {
  /**
   * What a transcription says; by default, "I hear you." A function is asked each time with the
   * audio's length (an interim transcription of speech still going on is shorter), so a test can
   * script a conversation: set it before each utterance.
   */
  transcript?: string | ((audio: { durationMs: number }) => string);
  /** Time to answer a transcription. */
  transcriptionMs?: number;
  /** Answers 400 to `verbose_json`, as servers without word times do. */
  rejectWordTimes?: boolean;
  /** Time to the first byte of speech. */
  speechFirstByteMs?: number;
  /** Answers 400 to `response_format: pcm`, as servers that only encode files do. */
  rejectPcm?: boolean;
}

export interface AudioRequest {
  path: "transcriptions" | "speech";
  model: string;
  /** transcriptions: the form's response_format; speech: the JSON body's. */
  responseFormat: string | null;
  /** speech only. */
  voice?: string;
  input?: string;
  /** transcriptions only: the uploaded file's size in bytes, and its length where it is a WAV file. */
  fileBytes?: number;
  durationMs?: number;
  /** Where the request went and what it signed in with. */
  arrival?: { path: string; apiVersion: string | null; apiKeyHeader: string | null; authorization: string | null };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function bodyOf(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A multipart form's text fields and its file's size: enough for a fake, not a general parser. */
function readForm(body: Buffer, contentType: string): { fields: Map<string, string>; fileBytes: number; durationMs: number } {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
  const fields = new Map<string, string>();
  let fileBytes = 0;
  let durationMs = 0;
  if (!boundary) return { fields, fileBytes, durationMs };
  const marker = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  let at = body.indexOf(marker);
  while (at >= 0) {
    const next = body.indexOf(marker, at + marker.length);
    if (next < 0) break;
    const part = body.subarray(at + marker.length + 2, next - 2);
    const split = part.indexOf("\r\n\r\n");
    const head = part.subarray(0, split).toString("utf8");
    const content = part.subarray(split + 4);
    const name = /name="([^"]+)"/.exec(head)?.[1];
    if (name && /filename=/.test(head)) {
      fileBytes = content.length;
      // A WAV file's length, from its header's byte rate.
      if (content.length > 44 && content.subarray(0, 4).toString("latin1") === "RIFF") durationMs = ((content.length - 44) / content.readUInt32LE(28)) * 1000;
    }
    else if (name) fields.set(name, content.toString("utf8"));
    at = next;
  }
  return { fields, fileBytes, durationMs };
}

function refuse(response: ServerResponse, message: string, param: string): void {
  response.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ error: { message, type: "invalid_request_error", param } }));
}

/** One period of a quiet 240 Hz tone at 24 kHz (100 samples), 16-bit little-endian. */
const tonePeriod = (() => {
  const period = Buffer.alloc(200);
  for (let index = 0; index < 100; index++) period.writeInt16LE(Math.round(Math.sin((index / 100) * 2 * Math.PI) * 2_000), index * 2);
  return period;
})();

/**
 * How the fake speaks `text`: the quiet tone, 60 ms of 24 kHz 16-bit audio a character (at least
 * one). One period repeated: a long reply's speech costs the fake no work sample by sample.
 */
export function fakeSpeech(text: string): Buffer {
  return Buffer.alloc(Math.round(Math.max(1, text.length) * 0.06 * 24_000) * 2).fill(tonePeriod);
}

/** Where the fake notes when it answered (the server's ProviderStamp). */
interface AnswerStamp {
  answeredAt?: number;
}
const epochNow = () => performance.timeOrigin + performance.now();

export async function answerTranscription(
  request: IncomingMessage,
  response: ServerResponse,
  options: FakeAudioOptions,
  record: (request: AudioRequest) => void,
  stamp: AnswerStamp = {},
): Promise<void> {
  const { fields, fileBytes, durationMs } = readForm(await bodyOf(request), request.headers["content-type"] ?? "");
  const responseFormat = fields.get("response_format") ?? null;
  record({ path: "transcriptions", model: fields.get("model") ?? "", responseFormat, fileBytes, durationMs });
  if (options.rejectWordTimes && responseFormat === "verbose_json") return refuse(response, "response_format 'verbose_json' is not supported", "response_format");
  if (options.transcriptionMs) await sleep(options.transcriptionMs);
  const text = typeof options.transcript === "function" ? options.transcript({ durationMs }) : (options.transcript ?? "I hear you.");
  stamp.answeredAt = epochNow();
  if (responseFormat !== "verbose_json") {
    response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ text }));
    return;
  }
  // A third of a second a word, as unhurried speech goes.
  const words = text.split(/\s+/).filter(Boolean).map((word, index) => ({ word: word.replace(/[^\p{L}\p{N}']/gu, ""), start: index / 3, end: index / 3 + 0.3 }));
  response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ task: "transcribe", language: "english", duration: words.length / 3, text, words }));
}

/** Speech: a quiet tone, 60 ms of 24 kHz 16-bit audio a character, sent in 100 ms chunks. */
export async function answerSpeech(
  request: IncomingMessage,
  response: ServerResponse,
  options: FakeAudioOptions,
  record: (request: AudioRequest) => void,
  stamp: AnswerStamp = {},
): Promise<void> {
  const body = JSON.parse((await bodyOf(request)).toString("utf8")) as { model?: string; voice?: string; input?: string; response_format?: string };
  const responseFormat = body.response_format ?? "mp3";
  record({ path: "speech", model: body.model ?? "", responseFormat, voice: body.voice ?? "", input: body.input ?? "" });
  if (options.rejectPcm && responseFormat === "pcm") return refuse(response, "Unsupported response_format: pcm", "response_format");
  if (options.speechFirstByteMs) await sleep(options.speechFirstByteMs);
  const pcm = fakeSpeech(body.input ?? "");
  const audio = responseFormat === "wav" ? Buffer.concat([wavHeader(pcm.length, 24_000), pcm]) : pcm;
  response.writeHead(200, { "content-type": responseFormat === "wav" ? "audio/wav" : "audio/pcm" });
  const chunk = 4_800; // 100 ms
  stamp.answeredAt = epochNow();
  for (let offset = 0; offset < audio.length; offset += chunk) {
    if (!response.write(audio.subarray(offset, offset + chunk))) await new Promise((resolve) => response.once("drain", resolve));
  }
  response.end();
}
