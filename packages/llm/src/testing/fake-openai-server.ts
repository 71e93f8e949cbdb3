// An OpenAI-compatible server for tests and benchmarks, on loopback: streams chat completions
// over SSE at a set first-token delay and token rate, answers structured-output requests, and
// can be scripted to fail the ways real providers do.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type AudioRequest, answerSpeech, answerTranscription, type FakeAudioOptions } from "./fake-audio.ts";
import { FakeRealtime, type FakeRealtimeOptions, type RealtimeConnectionRecord, type RealtimeResponseRecord } from "./fake-realtime.ts";

export interface ChatRequest {
  model: string;
  messages: { role: string; content: string }[];
  stream?: boolean;
  response_format?: { type: string; json_schema?: { name: string; schema: unknown } };
  [key: string]: unknown;
}

/** What the server does with the next request; unscripted requests get a normal reply. */
export type FakeStep =
  | { kind: "reply"; text?: string }
  | { kind: "status"; status: 400 | 401 | 403 | 404 | 429 | 500 | 503; retryAfterSeconds?: number; message?: string; param?: string }
  /** Sends the first tokens, then goes silent without closing. */
  | { kind: "stall"; afterTokens: number }
  /** Sends the first tokens, then drops the connection. */
  | { kind: "reset"; afterTokens: number }
  /** Answers a structured-output request with text that is not valid JSON. */
  | { kind: "malformed-json" }
  /** Answers a structured-output request with this value. */
  | { kind: "json"; value: unknown };

export interface FakeOpenAiOptions {
  firstTokenMs?: number;
  tokensPerSecond?: number;
  /** Draws a first-token delay per request (a long-tailed distribution, say); overrides firstTokenMs. */
  firstTokenDelay?: () => number;
  /** The reply to a request nobody scripted. */
  reply?: (request: ChatRequest) => string;
  /** The structured output for a request nobody scripted. */
  json?: (request: ChatRequest) => unknown;
  /**
   * Sends each streamed token as the time it left this server (epoch milliseconds, to the
   * microsecond, then a space) instead of its text, so a client anywhere on the machine can
   * tell how long the token took to reach it. For load benchmarks.
   */
  stampTokens?: boolean;
  /** Keeps every request and token emission in memory (tests read them); off for long load runs. */
  record?: boolean;
  /** Told of every request as it arrives, whether or not requests are recorded. */
  onRequest?: (request: ChatRequest) => void;
  /**
   * Request parameters this provider does not take: a request carrying one is answered 400 the
   * way OpenAI answers it ("Unsupported parameter: 'seed' …", with `param`), before any script.
   */
  unsupportedParameters?: readonly string[];
  /** Answers 400 to any `stream_options`, in OpenAI's words for an argument it does not know. */
  rejectStreamOptions?: boolean;
  /**
   * Refuses structured output: `json_schema` answers 400 to a schema as response_format (as
   * llama.cpp and Ollama builds without it do) but takes JSON mode; `all` answers 400 to any
   * response_format, in LiteLLM's words.
   */
  rejectResponseFormat?: "json_schema" | "all";
  /**
   * A strict chat template, as vLLM serves Mistral or Gemma models: 400 unless there is at most one
   * system message, first, and the rest alternate user/assistant starting with the user, with the
   * template's own words in vLLM's flat error body.
   */
  strictTemplate?: boolean;
  /**
   * Serves as an Azure OpenAI resource: only /openai/deployments/{deployment}/chat/completions (and /audio/transcriptions, /audio/speech)
   * with an api-version query, and 401 unless the `api-key` header carries this key.
   */
  azure?: { apiKey: string };
  /** Stops every reply after this many tokens with finish_reason "length", as a provider's cap does. */
  lengthAfterTokens?: number;
  /** A model that repeats its instructions: the reply is the first system message's content. */
  echoSystemPrompt?: boolean;
  /** Tokens per streamed chunk (1 by default); servers batch several under load. */
  tokensPerChunk?: number;
  /** How /v1/audio/transcriptions and /v1/audio/speech answer. */
  audio?: FakeAudioOptions;
  /** How the /v1/realtime websocket answers (its transcripts come from `audio.transcript`, its replies as chat's do). */
  realtime?: FakeRealtimeOptions;
}

/** How a request reached the server: the path, the Azure api-version and which credentials it carried. */
export interface RequestArrival {
  path: string;
  apiVersion: string | null;
  apiKeyHeader: string | null;
  authorization: string | null;
}

/** Counts that stay small however long the server runs. */
export interface FakeOpenAiCounts {
  requests: number;
  streams: number;
  tokens: number;
}

/** The endpoints served: anywhere under a base URL, or only under an Azure deployment. */
const openAiPaths = { audio: /\/audio\/(transcriptions|speech)$/, chat: /\/chat\/completions$/ };
const azurePaths = { audio: /^\/openai\/deployments\/[^/]+\/audio\/(transcriptions|speech)$/, chat: /^\/openai\/deployments\/[^/]+\/chat\/completions$/ };

/** Now as epoch milliseconds with sub-millisecond precision, comparable across processes on one machine. */
export const epochNow = () => performance.timeOrigin + performance.now();

/** When the fake received a request and began to answer it (epoch milliseconds), for latency budgets. */
export interface ProviderStamp {
  kind: "chat" | "transcription" | "speech";
  /** Chat only: the request's id, as in `emissions`. */
  requestId?: number;
  receivedAt: number;
  /** The first byte of the answer (the whole answer, for a transcription). Unset for chat: see `emissions`. */
  answeredAt?: number;
}

export interface TokenEmission {
  requestId: number;
  token: number;
  at: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Words with their following space: close enough to tokens for timing. */
export const fakeTokens = (text: string) => text.match(/\S+\s*/g) ?? [];

export class FakeOpenAiServer {
  readonly requests: ChatRequest[] = [];
  /** How each recorded request arrived, in the same order as `requests`. */
  readonly arrivals: RequestArrival[] = [];
  /** When each streamed token left the server (performance.now()), for latency measurements. */
  readonly emissions: TokenEmission[] = [];
  readonly counts: FakeOpenAiCounts = { requests: 0, streams: 0, tokens: 0 };
  /** Every audio request, transcriptions and speech, in order. */
  readonly audioRequests: AudioRequest[] = [];
  /** When each request arrived and was answered, in arrival order (kept unless `record` is false). */
  readonly stamps: ProviderStamp[] = [];
  /** Every Realtime websocket opened, with the events it was sent. */
  readonly realtimeConnections: RealtimeConnectionRecord[] = [];
  /** Every Realtime response asked for, with its prompt and what it said. */
  readonly realtimeResponses: RealtimeResponseRecord[] = [];
  private readonly steps: FakeStep[] = [];
  private readonly openResponses = new Set<ServerResponse>();
  private readonly realtime: FakeRealtime;

  /** Chat replies still being answered (a client that stops reading one closes it). */
  get openReplies(): number {
    return this.openResponses.size;
  }

  private constructor(
    private readonly server: Server,
    private readonly options: FakeOpenAiOptions,
  ) {
    this.realtime = new FakeRealtime({
      options: options.realtime ?? {},
      transcript: (durationMs) => {
        const transcript = options.audio?.transcript;
        return typeof transcript === "function" ? transcript({ durationMs }) : (transcript ?? "I hear you.");
      },
      reply: (chat) => {
        const step = this.steps[0]?.kind === "reply" ? this.steps.shift() : undefined;
        return step?.kind === "reply" && step.text !== undefined ? step.text : this.unscriptedReply(chat);
      },
      connections: this.realtimeConnections,
      responses: this.realtimeResponses,
    });
    server.on("upgrade", (request, socket, head) => {
      if (!this.realtime.upgrade(request, socket, head)) socket.destroy();
    });
  }

  static async start(options: FakeOpenAiOptions = {}): Promise<FakeOpenAiServer> {
    let fake: FakeOpenAiServer | undefined;
    const server = createServer((request, response) => {
      fake?.handle(request, response).catch(() => response.destroy());
    });
    fake = new FakeOpenAiServer(server, options);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return fake;
  }

  /** The base URL to give the openai SDK. */
  get baseUrl(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/v1`;
  }

  script(...steps: FakeStep[]): void {
    this.steps.push(...steps);
  }

  async close(): Promise<void> {
    this.realtime.close();
    for (const response of this.openResponses) response.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://fake");
    const arrival: RequestArrival = {
      path: url.pathname,
      apiVersion: url.searchParams.get("api-version"),
      apiKeyHeader: header(request, "api-key"),
      authorization: header(request, "authorization"),
    };
    const recordAudio = (each: AudioRequest) => this.audioRequests.push({ ...each, arrival });
    const stamp = (kind: ProviderStamp["kind"]): ProviderStamp => {
      const made: ProviderStamp = { kind, receivedAt: epochNow() };
      if (this.options.record !== false) this.stamps.push(made);
      return made;
    };
    const paths = this.options.azure ? azurePaths : openAiPaths;
    const audio = request.method === "POST" ? paths.audio.exec(url.pathname)?.[1] : undefined;
    const chatPath = request.method === "POST" && paths.chat.test(url.pathname);
    if (!audio && !chatPath) {
      response.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "not found" } }));
      return;
    }
    if (this.options.azure && (arrival.apiKeyHeader !== this.options.azure.apiKey || !arrival.apiVersion)) {
      // Azure's answer to a missing or wrong key (a missing api-version is a 404 there; one status is enough here).
      const error = { code: "401", message: "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource." };
      response.writeHead(401, { "content-type": "application/json" }).end(JSON.stringify({ error }));
      return;
    }
    if (audio === "transcriptions") return answerTranscription(request, response, this.options.audio ?? {}, recordAudio, stamp("transcription"));
    if (audio === "speech") return answerSpeech(request, response, this.options.audio ?? {}, recordAudio, stamp("speech"));
    let body = "";
    for await (const chunk of request) body += chunk;
    const chat = JSON.parse(body) as ChatRequest;
    const requestId = ++this.counts.requests;
    if (this.options.record !== false) {
      this.requests.push(chat);
      this.arrivals.push(arrival);
      this.stamps.push({ kind: "chat", requestId, receivedAt: epochNow() });
    }
    this.options.onRequest?.(chat);
    const refusal = this.refusal(chat);
    if (refusal) {
      response.writeHead(refusal.status, { "content-type": "application/json" }).end(JSON.stringify(refusal.body));
      return;
    }
    const step = this.steps.shift() ?? { kind: "reply" };
    this.openResponses.add(response);
    response.on("close", () => this.openResponses.delete(response));

    if (step.kind === "status") {
      // As OpenAI does, an id to quote to the provider's support: Spar logs it with the failure.
      const headers: Record<string, string> = { "content-type": "application/json", "x-request-id": `req_fake_${requestId}` };
      if (step.retryAfterSeconds !== undefined) headers["retry-after"] = String(step.retryAfterSeconds);
      const error = { message: step.message ?? `scripted ${step.status}`, type: step.status === 400 ? "invalid_request_error" : "fake", param: step.param ?? null };
      response.writeHead(step.status, headers).end(JSON.stringify({ error }));
      return;
    }
    const usage = { prompt_tokens: this.promptTokens(chat), completion_tokens: 0, total_tokens: 0, prompt_tokens_details: { cached_tokens: 0 } };

    // Judge calls are never streamed: without a response_format they still get JSON when the test
    // gave one, as a model asked for JSON in its prompt would answer.
    const wantsJson = chat.response_format?.type === "json_schema" || chat.response_format?.type === "json_object";
    if (wantsJson || (!chat.stream && (step.kind === "json" || step.kind === "malformed-json" || this.options.json !== undefined))) {
      if (step.kind === "stall" || step.kind === "reset") {
        if (step.kind === "reset") response.destroy();
        return; // a stall never answers; the client's timeout must act
      }
      await sleep(this.firstTokenDelay());
      const content =
        step.kind === "malformed-json" ? '{"criteria": [ this is not json' : JSON.stringify(step.kind === "json" ? step.value : (this.options.json?.(chat) ?? {}));
      usage.completion_tokens = Math.ceil(content.length / 4);
      usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
      response.writeHead(200, { "content-type": "application/json" }).end(
        JSON.stringify({
          id: `chatcmpl-fake-${requestId}`,
          object: "chat.completion",
          created: Math.floor(Date.now() / 1000),
          model: chat.model,
          choices: [{ index: 0, message: { role: "assistant", content, refusal: null }, finish_reason: "stop", logprobs: null }],
          usage,
        }),
      );
      return;
    }

    const text = step.kind === "reply" && step.text !== undefined ? step.text : this.unscriptedReply(chat);
    const cap = Math.min(this.options.lengthAfterTokens ?? Number.POSITIVE_INFINITY, Number(chat.max_completion_tokens ?? chat.max_tokens ?? Number.POSITIVE_INFINITY));
    const tokens = fakeTokens(text).slice(0, cap);
    const finish = fakeTokens(text).length > cap ? "length" : "stop";
    const frame = (delta: Record<string, unknown>, finish: string | null, extra: Record<string, unknown> = {}) =>
      `data: ${JSON.stringify({ id: `chatcmpl-fake-${requestId}`, object: "chat.completion.chunk", created: Math.floor(Date.now() / 1000), model: chat.model, choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }], ...extra })}\n\n`;

    if (!chat.stream) {
      await sleep(this.firstTokenDelay());
      usage.completion_tokens = tokens.length;
      response.writeHead(200, { "content-type": "application/json" }).end(
        JSON.stringify({ id: `chatcmpl-fake-${requestId}`, object: "chat.completion", created: 0, model: chat.model, choices: [{ index: 0, message: { role: "assistant", content: tokens.join("") }, finish_reason: finish }], usage }),
      );
      return;
    }
    response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
    this.counts.streams++;
    await sleep(this.firstTokenDelay());
    response.write(frame({ role: "assistant", content: "" }, null));
    const gap = 1000 / (this.options.tokensPerSecond ?? 200);
    const perChunk = Math.max(1, this.options.tokensPerChunk ?? 1);
    for (let index = 0; index < tokens.length; index += perChunk) {
      const chunk = tokens.slice(index, index + perChunk);
      if ((step.kind === "stall" || step.kind === "reset") && index >= step.afterTokens) {
        if (step.kind === "reset") response.destroy();
        return; // a stall keeps the connection open until the client gives up
      }
      if (response.destroyed) return;
      if (index > 0) await sleep(gap * chunk.length);
      const content = this.options.stampTokens ? chunk.map(() => `${epochNow().toFixed(3)} `).join("") : chunk.join("");
      response.write(frame({ content }, null));
      for (const [offset] of chunk.entries()) {
        this.counts.tokens++;
        if (this.options.record !== false) this.emissions.push({ requestId, token: index + offset, at: performance.now() });
      }
    }
    usage.completion_tokens = tokens.length;
    usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
    response.write(frame({}, finish));
    const options = chat.stream_options as { include_usage?: boolean } | undefined;
    if (options?.include_usage) {
      response.write(`data: ${JSON.stringify({ id: `chatcmpl-fake-${requestId}`, object: "chat.completion.chunk", created: 0, model: chat.model, choices: [], usage })}\n\n`);
    }
    response.end("data: [DONE]\n\n");
  }

  private unscriptedReply(chat: ChatRequest): string {
    if (this.options.echoSystemPrompt) return String(chat.messages.find((message) => message.role === "system")?.content ?? "");
    return this.options.reply?.(chat) ?? "Fine. What did you want to talk about?";
  }

  /** The 400 a provider without some feature answers, in that provider's words; null when it takes the request. */
  private refusal(chat: ChatRequest): { status: number; body: unknown } | null {
    const invalid = (message: string, param: string | null, code: string | null = null) => ({
      status: 400,
      body: { error: { message, type: "invalid_request_error", param, code } },
    });
    const unsupported = this.options.unsupportedParameters?.find((name) => chat[name] !== undefined);
    if (unsupported) return invalid(`Unsupported parameter: '${unsupported}' is not supported with this model.`, unsupported, "unsupported_parameter");
    if (this.options.rejectStreamOptions && chat.stream_options !== undefined) return invalid("Unrecognized request argument supplied: stream_options", null);
    const format = chat.response_format?.type;
    if (this.options.rejectResponseFormat === "json_schema" && format === "json_schema") {
      return invalid("response_format: 'json_schema' is not supported by this server, use 'json_object'", null);
    }
    if (this.options.rejectResponseFormat === "all" && format !== undefined) {
      const message = `litellm.UnsupportedParamsError: openai does not support parameters: ['response_format'], for model=${chat.model}. To drop these, set \`litellm.drop_params=True\` or for proxy:\n\n\`litellm_settings:\n drop_params: true\`\n`;
      return { status: 400, body: { error: { message, type: "None", param: null, code: "400" } } };
    }
    if (this.options.strictTemplate) {
      const problem = templateProblem(chat.messages);
      // vLLM's own error body: flat, not under "error".
      if (problem) return { status: 400, body: { object: "error", message: problem, type: "BadRequestError", param: null, code: 400 } };
    }
    return null;
  }

  private firstTokenDelay(): number {
    return this.options.firstTokenDelay?.() ?? this.options.firstTokenMs ?? 0;
  }

  private promptTokens(chat: ChatRequest): number {
    return Math.ceil(chat.messages.reduce((sum, message) => sum + String(message.content).length, 0) / 4);
  }
}

function header(request: IncomingMessage, name: string): string | null {
  const value = request.headers[name];
  return typeof value === "string" ? value : null;
}

/** What a strict chat template (Mistral's, as vLLM renders it) says of these messages; null when it takes them. */
function templateProblem(messages: readonly { role: string }[]): string | null {
  const turns = messages[0]?.role === "system" ? messages.slice(1) : messages;
  if (turns.some((message) => message.role === "system")) return "System message must be at the beginning.";
  const alternates = turns.every((message, index) => message.role === (index % 2 === 0 ? "user" : "assistant"));
  return alternates ? null : "After the optional system message, conversation roles must alternate user/assistant/user/assistant/...";
}
