// A server whose persona and judge live on two different endpoints, each refusing something: the
// real openai SDK in a listening server against two fake providers on loopback. What the providers
// received, what Spar stored, what it logged once, and what /health says it learned.
import { FakeOpenAiServer, faithfulJudgeAnswer } from "@spar/llm/testing";
import { demoSignIn, startTestApp } from "@spar/server/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { PracticeClient } from "../fixtures/practice-client.ts";

const LogLine = z.looseObject({ msg: z.string(), level: z.number(), llm: z.looseObject({ capability: z.string().optional() }).optional() });

describe("a persona and a judge on endpoints of their own", () => {
  let personaServer: FakeOpenAiServer;
  let judgeServer: FakeOpenAiServer;
  let server: Awaited<ReturnType<typeof startTestApp>>;
  let baseUrl: string;
  let cookie: string;
  const logLines: z.infer<typeof LogLine>[] = [];

  beforeAll(async () => {
    // vLLM serving a Mistral model without usage chunks; a gateway that takes no response_format.
    personaServer = await FakeOpenAiServer.start({ tokensPerSecond: 1_000, rejectStreamOptions: true, strictTemplate: true });
    judgeServer = await FakeOpenAiServer.start({ rejectResponseFormat: "all", json: (request) => faithfulJudgeAnswer(request) });
    server = await startTestApp("pglite", {
      environment: {
        SPAR_PERSONA_BASE_URL: personaServer.baseUrl,
        SPAR_PERSONA_API_KEY: "persona-key",
        SPAR_PERSONA_MODEL: "mistral-small",
        SPAR_JUDGE_BASE_URL: judgeServer.baseUrl,
        SPAR_JUDGE_API_KEY: "judge-key",
        SPAR_JUDGE_MODEL: "judge-model",
        SPAR_MAX_OPEN_SESSIONS: "20",
      },
      socket: { messagesPerSecond: 200, messageBurst: 200 },
      logger: { level: "info", stream: { write: (line: string) => logLines.push(LogLine.parse(JSON.parse(line))) } },
    });
    baseUrl = await server.app.listen({ port: 0, host: "127.0.0.1" });
    cookie = await demoSignIn(server.app, "kenji.watanabe@demo.example");
  });
  afterAll(async () => {
    await server?.close();
    await personaServer?.close();
    await judgeServer?.close();
  });

  it("practises and scores through both fallbacks, says so once in the log, and shows it in /health", async () => {
    const client = await PracticeClient.connect(baseUrl, cookie);
    client.send({ type: "session-start", scenarioId: "frustrated-customer" });
    const { session } = await client.next("session-ready");
    personaServer.script({ kind: "reply", text: "Twice. You fixed it twice." }, { kind: "reply", text: "Fine." });
    const first = await client.say(session.id, "I can hear how frustrating this has been. What happened this time?");
    expect(first.reply.text).toBe("Twice. You fixed it twice.");
    await client.say(session.id, "What would make this right for you?");

    // Refused twice (usage chunk, then the message layout), then answered; the second turn asks plainly at once.
    expect(personaServer.requests).toHaveLength(4);
    const plain = personaServer.requests[3];
    expect(plain).not.toHaveProperty("stream_options");
    expect(plain?.messages.map((message) => message.role)).toEqual(["system", "user", "assistant", "user", "assistant", "user"]);
    expect(personaServer.arrivals.every((arrival) => arrival.authorization === "Bearer persona-key")).toBe(true);
    // No usage chunk: the turn is stored without token counts rather than with made-up ones.
    const stored = await server.database.prisma.turn.findFirstOrThrow({ where: { sessionId: session.id, seq: 3 } });
    expect(stored.outputTokens).toBeNull();

    client.send({ type: "session-end", sessionId: session.id });
    await client.next("session-ended");
    await client.next("score-ready", (message) => message.sessionId === session.id, 20_000, 0);
    expect(judgeServer.requests.map((request) => request.response_format?.type ?? "none")).toEqual(["json_schema", "none"]);
    expect(judgeServer.arrivals.every((arrival) => arrival.authorization === "Bearer judge-key")).toBe(true);

    const fellBack = logLines.filter((line) => line.llm?.capability !== undefined);
    expect(fellBack.map((line) => [line.level, line.llm?.capability])).toEqual([
      [40, "stream-usage"],
      [40, "message-layout"],
      [40, "structured-output"],
    ]);
    expect(fellBack[0]?.msg).toContain("Unrecognized request argument supplied: stream_options");
    expect(JSON.stringify(logLines)).not.toMatch(/persona-key|judge-key/);

    const health = await (await fetch(`${baseUrl}/health`)).json();
    expect(health.llm).toMatchObject({
      engine: "openai-compatible",
      personaModel: "mistral-small",
      judgeModel: "judge-model",
      calls: {
        persona: { lastSuccessAt: expect.any(String), lastFailure: null, fellBack: [{ capability: "stream-usage", now: "none" }, { capability: "message-layout", now: "alternating" }] },
        judge: { lastSuccessAt: expect.any(String), lastFailure: null, fellBack: [{ capability: "structured-output", now: "schema-in-prompt" }] },
      },
    });
    client.close();
  });
});

describe("a deployed server asks its models one small question as it starts", () => {
  let personaServer: FakeOpenAiServer;
  let judgeServer: FakeOpenAiServer;
  let server: Awaited<ReturnType<typeof startTestApp>>;
  let baseUrl: string;

  beforeAll(async () => {
    // A strict chat template for the persona; a judge whose key is wrong.
    personaServer = await FakeOpenAiServer.start({ tokensPerSecond: 1_000, strictTemplate: true });
    judgeServer = await FakeOpenAiServer.start({ json: (request) => faithfulJudgeAnswer(request) });
    judgeServer.script({ kind: "status", status: 401, message: "Incorrect API key provided" });
    server = await startTestApp("pglite", {
      environment: {
        SPAR_LLM_PROBE: "on",
        SPAR_PERSONA_BASE_URL: personaServer.baseUrl,
        SPAR_PERSONA_API_KEY: "persona-key",
        SPAR_PERSONA_MODEL: "mistral-small",
        SPAR_JUDGE_BASE_URL: judgeServer.baseUrl,
        SPAR_JUDGE_API_KEY: "wrong-key",
        SPAR_JUDGE_MODEL: "judge-model",
      },
    });
    baseUrl = await server.app.listen({ port: 0, host: "127.0.0.1" });
  });
  afterAll(async () => {
    await server?.close();
    await personaServer?.close();
    await judgeServer?.close();
  });

  it("shows what the probe found in /health, and has learned the persona endpoint's layout before the first turn", async () => {
    // The probe runs beside start-up; /health says so once it has answered.
    const health = async () => (await (await fetch(`${baseUrl}/health`)).json()) as { llm: { calls?: { lastProbe?: unknown } } };
    let probe: unknown = null;
    for (let tries = 0; tries < 300 && !probe; tries++) {
      probe = (await health()).llm.calls?.lastProbe ?? null;
      if (!probe) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(probe).toMatchObject({
      at: expect.any(String),
      persona: { ok: true, fellBack: ["message-layout"], status: null, firstTokenSeconds: expect.any(Number) },
      judge: { ok: false, status: 401 },
    });
    expect(personaServer.requests).toHaveLength(2);

    // The learner's first turn is sent in the layout the endpoint takes, at the first try.
    const cookie = await demoSignIn(server.app, "kenji.watanabe@demo.example");
    const client = await PracticeClient.connect(baseUrl, cookie);
    client.send({ type: "session-start", scenarioId: "frustrated-customer" });
    const { session } = await client.next("session-ready");
    await client.say(session.id, "I can hear how frustrating this has been. What happened this time?");
    expect(personaServer.requests).toHaveLength(3);
    client.close();
  });
});
