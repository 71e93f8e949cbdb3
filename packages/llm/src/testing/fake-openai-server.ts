// An OpenAI-compatible server for tests and benchmarks, on loopback: streams chat completions
// over SSE at a set first-token delay and token rate, answers structured-output requests, and
// can be scripted to fail the ways real providers do.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

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
  | { kind: "status"; status: 400 | 429 | 500 | 503; retryAfterSeconds?: number; message?: string; param?: string }
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
}

/** Counts that stay small however long the server runs. */
export interface FakeOpenAiCounts {
  requests: number;
  streams: number;
  tokens: number;
}

/** Now as epoch milliseconds with sub-millisecond precision, comparable across processes on one machine. */
export const epochNow = () => performance.timeOrigin + performance.now();

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
  /** When each streamed token left the server (performance.now()), for latency measurements. */
  readonly emissions: TokenEmission[] = [];
  readonly counts: FakeOpenAiCounts = { requests: 0, streams: 0, tokens: 0 };
  private readonly steps: FakeStep[] = [];
  private readonly openResponses = new Set<ServerResponse>();

  private constructor(
    private readonly server: Server,
    private readonly options: FakeOpenAiOptions,
  ) {}

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
    for (const response of this.openResponses) response.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.method !== "POST" || !request.url?.endsWith("/chat/completions")) {
      response.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "not found" } }));
      return;
    }
    let body = "";
    for await (const chunk of request) body += chunk;
    const chat = JSON.parse(body) as ChatRequest;
    const requestId = ++this.counts.requests;
    if (this.options.record !== false) this.requests.push(chat);
    this.options.onRequest?.(chat);
    const unsupported = this.options.unsupportedParameters?.find((name) => chat[name] !== undefined);
    if (unsupported) {
      const error = { message: `Unsupported parameter: '${unsupported}' is not supported with this model.`, type: "invalid_request_error", param: unsupported, code: "unsupported_parameter" };
      response.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ error }));
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

    if (chat.response_format?.type === "json_schema") {
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

    const text = step.kind === "reply" && step.text !== undefined ? step.text : (this.options.reply?.(chat) ?? "Fine. What did you want to talk about?");
    const tokens = fakeTokens(text);
    const frame = (delta: Record<string, unknown>, finish: string | null, extra: Record<string, unknown> = {}) =>
      `data: ${JSON.stringify({ id: `chatcmpl-fake-${requestId}`, object: "chat.completion.chunk", created: Math.floor(Date.now() / 1000), model: chat.model, choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }], ...extra })}\n\n`;

    if (!chat.stream) {
      await sleep(this.firstTokenDelay());
      usage.completion_tokens = tokens.length;
      response.writeHead(200, { "content-type": "application/json" }).end(
        JSON.stringify({ id: `chatcmpl-fake-${requestId}`, object: "chat.completion", created: 0, model: chat.model, choices: [{ index: 0, message: { role: "assistant", content: text }, finish_reason: "stop" }], usage }),
      );
      return;
    }
    response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
    this.counts.streams++;
    await sleep(this.firstTokenDelay());
    response.write(frame({ role: "assistant", content: "" }, null));
    const gap = 1000 / (this.options.tokensPerSecond ?? 200);
    for (const [index, token] of tokens.entries()) {
      if ((step.kind === "stall" || step.kind === "reset") && index === step.afterTokens) {
        if (step.kind === "reset") response.destroy();
        return; // a stall keeps the connection open until the client gives up
      }
      if (response.destroyed) return;
      if (index > 0) await sleep(gap);
      response.write(frame({ content: this.options.stampTokens ? `${epochNow().toFixed(3)} ` : token }, null));
      this.counts.tokens++;
      if (this.options.record !== false) this.emissions.push({ requestId, token: index, at: performance.now() });
    }
    usage.completion_tokens = tokens.length;
    usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
    response.write(frame({}, "stop"));
    const options = chat.stream_options as { include_usage?: boolean } | undefined;
    if (options?.include_usage) {
      response.write(`data: ${JSON.stringify({ id: `chatcmpl-fake-${requestId}`, object: "chat.completion.chunk", created: 0, model: chat.model, choices: [], usage })}\n\n`);
    }
    response.end("data: [DONE]\n\n");
  }

  private firstTokenDelay(): number {
    return this.options.firstTokenDelay?.() ?? this.options.firstTokenMs ?? 0;
  }

  private promptTokens(chat: ChatRequest): number {
    return Math.ceil(chat.messages.reduce((sum, message) => sum + String(message.content).length, 0) / 4);
  }
}
