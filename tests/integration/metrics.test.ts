// Operational metrics, end to end: a listening server with an LLM persona and judge (the real
// openai SDK against the fake OpenAI-compatible server), a practice session played over a real
// websocket and scored, then GET /metrics read as Prometheus would; and request ids in the log.
import { databaseKinds } from "@spar/db/testing";
import { FakeOpenAiServer, faithfulJudgeAnswer } from "@spar/llm/testing";
import { ErrorBody } from "@spar/protocol";
import { demoSignIn, startTestApp } from "@spar/server/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { PracticeClient } from "../fixtures/practice-client.ts";
import { parsePrometheusText, type Sample, sampleValue } from "../fixtures/prometheus-text.ts";

type TestApp = Awaited<ReturnType<typeof startTestApp>>;

const metricsToken = "metrics-token-for-tests-0123456789";
const personaModel = "persona-test-model";
const judgeModel = "judge-test-model";

const LogLine = z.looseObject({ msg: z.string(), reqId: z.string().optional() });

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.each(databaseKinds)("operational metrics (%s)", (kind) => {
  let fake: FakeOpenAiServer;
  let server: TestApp;
  let baseUrl: string;
  let cookie: string;
  const logLines: z.infer<typeof LogLine>[] = [];

  beforeAll(async () => {
    fake = await FakeOpenAiServer.start({ firstTokenMs: 20, tokensPerSecond: 400, json: (request) => faithfulJudgeAnswer(request) });
    server = await startTestApp(kind, {
      environment: {
        OPENAI_API_KEY: "sk-test",
        OPENAI_BASE_URL: fake.baseUrl,
        SPAR_PERSONA_MODEL: personaModel,
        SPAR_JUDGE_MODEL: judgeModel,
        SPAR_MAX_OPEN_SESSIONS: "20",
        METRICS_TOKEN: metricsToken,
      },
      socket: { messagesPerSecond: 200, messageBurst: 200, heartbeatMs: 150 },
      logger: { level: "info", stream: { write: (line: string) => logLines.push(LogLine.parse(JSON.parse(line))) } },
    });
    baseUrl = await server.app.listen({ port: 0, host: "127.0.0.1" });
    cookie = await demoSignIn(server.app, "kenji.watanabe@demo.example");
  });
  afterAll(async () => {
    await server?.close();
    await fake?.close();
  });

  async function scrape(): Promise<Sample[]> {
    const response = await fetch(`${baseUrl}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/plain; version=0.0.4");
    return parsePrometheusText(await response.text());
  }

  it("counts a scored LLM session: turns, first tokens, tokens, errors, the queue and the scorecard", async () => {
    const client = await PracticeClient.connect(baseUrl, cookie);
    client.send({ type: "session-start", scenarioId: "frustrated-customer" });
    const { session } = await client.next("session-ready");
    await client.say(session.id, "I'm sorry this keeps happening. What happened this time?");
    await client.say(session.id, "That sounds exhausting. What would make this right for you?");

    const attached = await scrape();
    expect(sampleValue(attached, "spar_practice_sockets_open")).toBe(1);
    expect(sampleValue(attached, "spar_practice_sessions_active")).toBe(1);

    client.socket.send("this is not json");
    expect((await client.next("error")).code).toBe("BAD_MESSAGE");

    // The judge is down for its first try (three attempts), so the session waits in the queue for
    // the worker's backoff, long enough to be seen there.
    const down = { kind: "status", status: 503, retryAfterSeconds: 0 } as const;
    fake.script(down, down, down);
    const judged = fake.requests.length;
    client.send({ type: "session-end", sessionId: session.id });
    await client.next("session-ended");
    await until(
      async () => fake.requests.length,
      (count) => count >= judged + 3,
    );
    const queued = await scrape();
    expect(sampleValue(queued, "spar_scoring_queue_depth")).toBe(1);
    expect(sampleValue(queued, "spar_scoring_queue_oldest_age_seconds")).toBeGreaterThanOrEqual(0);
    expect(sampleValue(queued, "spar_scoring_queue_oldest_age_seconds")).toBeLessThan(60);

    await client.next("score-ready", (message) => message.sessionId === session.id, 15_000, 0);
    const samples = await scrape();
    expect(sampleValue(samples, "spar_scoring_queue_depth")).toBe(0);
    expect(sampleValue(samples, "spar_scoring_queue_oldest_age_seconds")).toBe(0);
    expect(sampleValue(samples, "spar_scorecards_total", { scorer: "llm", outcome: "retrying" })).toBe(1);
    expect(sampleValue(samples, "spar_scorecards_total", { scorer: "llm", outcome: "scored" })).toBe(1);

    expect(sampleValue(samples, "spar_practice_turns_total", { speaker: "learner", engine: "llm" })).toBe(2);
    expect(sampleValue(samples, "spar_practice_turns_total", { speaker: "persona", engine: "llm" })).toBe(2);

    expect(sampleValue(samples, "spar_llm_first_token_seconds_count", { model: personaModel })).toBe(2);
    expect(sampleValue(samples, "spar_llm_first_token_seconds_sum", { model: personaModel })).toBeGreaterThan(2 * 0.02);
    expect(sampleValue(samples, "spar_llm_first_token_seconds_bucket", { model: personaModel, le: "10" })).toBe(2);
    expect(sampleValue(samples, "spar_llm_first_token_seconds_bucket", { model: personaModel, le: "+Inf" })).toBe(2);

    for (const [model, purpose] of [
      [personaModel, "persona"],
      [judgeModel, "judge"],
    ] as const) {
      expect(sampleValue(samples, "spar_llm_tokens_total", { model, purpose, kind: "input" }), purpose).toBeGreaterThan(
        100,
      );
      expect(
        sampleValue(samples, "spar_llm_tokens_total", { model, purpose, kind: "output" }),
        purpose,
      ).toBeGreaterThan(0);
      expect(sampleValue(samples, "spar_llm_tokens_total", { model, purpose, kind: "cached" }), purpose).toBe(0);
    }
    expect(sampleValue(samples, "spar_llm_request_errors_total", { model: judgeModel, code: "http_503" })).toBe(3);
    expect(sampleValue(samples, "spar_errors_total", { code: "BAD_MESSAGE", transport: "socket" })).toBe(1);

    // Node's own metrics, under the names stock dashboards use.
    expect(sampleValue(samples, "process_cpu_seconds_total")).toBeGreaterThan(0);
    expect(sampleValue(samples, "nodejs_heap_size_used_bytes")).toBeGreaterThan(0);
    expect(samples.some((sample) => sample.name === "nodejs_eventloop_lag_seconds")).toBe(true);
    expect(
      sampleValue(samples, "spar_http_request_duration_seconds_count", {
        method: "POST",
        route: "/api/auth/sign-in",
        status_code: "200",
      }),
    ).toBeGreaterThan(0);

    client.close();
    const closed = await until(scrape, (after) => sampleValue(after, "spar_practice_sockets_open") === 0);
    expect(sampleValue(closed, "spar_practice_sockets_open")).toBe(0);
    expect(sampleValue(closed, "spar_practice_sessions_active")).toBe(0);
  });

  it("asks for the metrics token, answering 401 with the usual error body, and counts the refusals", async () => {
    const missing = await fetch(`${baseUrl}/metrics`);
    expect(missing.status).toBe(401);
    expect(missing.headers.get("www-authenticate")).toBe('Bearer realm="metrics"');
    expect(ErrorBody.parse(await missing.json()).error.code).toBe("UNAUTHENTICATED");
    const wrong = await fetch(`${baseUrl}/metrics`, { headers: { authorization: `Bearer ${metricsToken}x` } });
    expect(wrong.status).toBe(401);
    const basic = await fetch(`${baseUrl}/metrics`, { headers: { authorization: `Basic ${metricsToken}` } });
    expect(basic.status).toBe(401);
    expect(sampleValue(await scrape(), "spar_errors_total", { code: "UNAUTHENTICATED", transport: "http" })).toBe(3);
  });

  it("carries a request id in the log: requests, the practice socket's lines and each scoring job", async () => {
    const health = await fetch(`${baseUrl}/health`, { headers: { "x-request-id": `health-${kind}` } });
    expect(health.headers.get("x-request-id")).toBe(`health-${kind}`);
    expect(logLines.some((line) => line.reqId === `health-${kind}` && line.msg === "request completed")).toBe(true);

    // A peer that stops answering pings is cut off; the line saying so has the upgrade's id.
    const silent = await PracticeClient.connect(
      baseUrl,
      cookie,
      { "x-request-id": `socket-${kind}` },
      { autoPong: false },
    );
    await silent.closed;
    const cutOff = logLines.find((line) => line.msg === "closing a practice socket whose peer stopped answering pings");
    expect(cutOff).toMatchObject({ reqId: `socket-${kind}`, learnerId: expect.any(String) });

    const scored = logLines.find((line) => line.msg === "session scored");
    expect(scored).toMatchObject({
      jobId: expect.any(String),
      sessionId: expect.any(String),
      scoringWorker: expect.any(String),
    });
    const retried = logLines.find((line) => line.msg === "scoring failed; will retry");
    expect(retried?.sessionId).toBe(scored?.sessionId);
    // Each attempt reads apart: on PostgreSQL a retry is the same pg-boss job with its retryCount
    // one up; the embedded database's worker gives every attempt a job id of its own.
    expect([retried?.jobId, retried?.retryCount]).not.toEqual([scored?.jobId, scored?.retryCount]);
  });

  it("logs a failed model call once, at warn, with what the provider said and never the key or the words", async () => {
    const client = await PracticeClient.connect(baseUrl, cookie);
    client.send({ type: "session-start", scenarioId: "frustrated-customer" });
    const { session } = await client.next("session-ready");
    // A 400 Spar cannot work around (a refused feature it can do without is not a failure: llm-providers.test.ts).
    const provider = "The model `persona-test-model` does not exist or you do not have access to it.";
    fake.script({ kind: "status", status: 400, message: provider, param: "model" });
    const since = logLines.length;
    client.send({ type: "turn", sessionId: session.id, clientMessageId: "refused", text: "A sentence only the learner wrote." });
    expect((await client.next("error", () => true, 15_000)).code).toBe("LLM_UNAVAILABLE");
    const failed = logLines.slice(since).filter((line) => line.llm !== undefined);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ level: 40, llm: { model: personaModel, purpose: "persona", status: 400, message: provider, requestId: expect.stringMatching(/^req_fake_/) } });
    expect(failed[0]?.msg).toContain(provider);
    const logged = JSON.stringify(logLines.slice(since));
    expect(logged).not.toContain("sk-test");
    expect(logged).not.toContain("A sentence only the learner wrote.");
    client.close();
  });
});
