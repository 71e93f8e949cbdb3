// Spar's engines through the real openai SDK against the fake server in each provider mode: what
// the server received, what Spar returned, and what it told its observer.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  classifyTurn,
  conversationMetrics,
  decidePersonaMove,
  exampleTranscript,
  initialPersonaState,
  type Library,
  loadLibrary,
  personaInstructions,
  type Rubric,
  type Scenario,
  type ScoredTurn,
  scoringContext,
  type TranscriptTurn,
} from "@spar/domain";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { conversationStartLine } from "../src/alternating-messages.ts";
import { EndpointCapabilities } from "../src/endpoint-capabilities.ts";
import type { LlmCapabilityFallback, LlmObserver } from "../src/llm-observer.ts";
import { OpenAiJudge, type OpenAiJudgeSettings } from "../src/openai-judge.ts";
import { OpenAiPersonaEngine, type OpenAiPersonaSettings } from "../src/openai-persona-engine.ts";
import { defaultAzureApiVersion } from "../src/provider-profile.ts";
import { type FakeOpenAiOptions, FakeOpenAiServer } from "../src/testing/fake-openai-server.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

async function shippedLibrary(): Promise<Library> {
  const dir = path.join(root, "scenarios");
  const names = (await readdir(dir, { recursive: true })).filter((name) => name.endsWith(".yaml"));
  return (await loadLibrary(await Promise.all(names.map(async (name) => ({ path: name, text: await readFile(path.join(dir, name), "utf8") }))))).library;
}

/** An observer that keeps what it is told of fallbacks and successes. */
function watching() {
  const fallbacks: LlmCapabilityFallback[] = [];
  const succeeded: string[] = [];
  const observer: LlmObserver = {
    firstToken: () => {},
    usage: () => {},
    failure: () => {},
    callSucceeded: (_model, purpose) => succeeded.push(purpose),
    capabilityFellBack: (fallback) => fallbacks.push(fallback),
  };
  return { fallbacks, succeeded, observer };
}

const strictlyAlternating = (messages: readonly { role: string }[]) =>
  messages[0]?.role === "system" && messages.slice(1).every((message, index) => message.role === (index % 2 === 0 ? "user" : "assistant"));

describe("provider modes and Spar's fallbacks", () => {
  let library: Library;
  let scenario: Scenario;
  let rubric: Rubric;
  let transcript: ScoredTurn[];
  const servers: FakeOpenAiServer[] = [];

  const serve = async (options: FakeOpenAiOptions) => {
    const server = await FakeOpenAiServer.start({ tokensPerSecond: 2_000, ...options });
    servers.push(server);
    return server;
  };
  const persona = (server: FakeOpenAiServer, settings: Partial<OpenAiPersonaSettings> = {}) =>
    new OpenAiPersonaEngine({
      apiKey: "sk-test", baseUrl: server.baseUrl, model: "persona-model", kind: "compatible",
      turnDeadlineMs: 5_000, stallMs: 1_000, maxRetries: 0, promptBudgetTokens: 6_000,
      capabilities: new EndpointCapabilities(), ...settings,
    });
  const judge = (server: FakeOpenAiServer, settings: Partial<OpenAiJudgeSettings> = {}) =>
    new OpenAiJudge({
      apiKey: "sk-test", baseUrl: server.baseUrl, model: "judge-model", kind: "compatible", timeoutMs: 5_000, maxRetries: 0,
      capabilities: new EndpointCapabilities(), ...settings,
    });
  const ask = (engine: OpenAiPersonaEngine, learnerText = "What happened on Thursday?") => {
    const state = initialPersonaState(scenario);
    const turns: TranscriptTurn[] = [
      { seq: 1, speaker: "persona", text: scenario.persona.opening_line },
      { seq: 2, speaker: "learner", text: learnerText },
    ];
    const move = decidePersonaMove(scenario, state, { text: learnerText, acts: classifyTurn(learnerText), number: 1 });
    const deltas: string[] = [];
    const result = engine.reply({ scenario, state, move, transcript: turns }, { signal: new AbortController().signal, onDelta: (text) => deltas.push(text) });
    return { deltas, result };
  };
  const score = (scorer: OpenAiJudge) => scorer.score(rubric, transcript, conversationMetrics(transcript), scoringContext(scenario));
  /** An answer that keeps every evidence rule for the missed-deadline example. */
  const answer = () => {
    const quote = (transcript[1]?.text ?? "").split(". ")[0];
    return {
      influence_attempts: [],
      criteria: rubric.criteria.map((criterion) => ({
        criterion_id: criterion.id,
        evidence: [{ turn: 2, quote, stance: "supports" }],
        rationale: "Named the issue.",
        level: 3,
      })),
    };
  };

  beforeAll(async () => {
    library = await shippedLibrary();
    scenario = library.scenarios.get("missed-deadline")?.value as Scenario;
    rubric = library.rubrics.get(scenario.rubric)?.value as Rubric;
    const example = library.examples.find((each) => each.value.scenario === "missed-deadline" && each.value.label === "strong");
    transcript = exampleTranscript(example?.value as never);
  });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });

  it("streams without a usage chunk from a server that refuses stream_options, and says so once", async () => {
    const server = await serve({ rejectStreamOptions: true });
    const seen = watching();
    const engine = persona(server, { observer: seen.observer });
    const first = await ask(engine).result;
    expect(first).toMatchObject({ ok: true, text: "Fine. What did you want to talk about?", usage: null, interrupted: null });
    expect(server.requests.map((request) => request.stream_options)).toEqual([{ include_usage: true }, undefined]);
    expect(seen.fallbacks).toEqual([
      { model: "persona-model", purpose: "persona", capability: "stream-usage", now: "none", providerMessage: "Unrecognized request argument supplied: stream_options" },
    ]);
    await ask(engine).result;
    expect(server.requests).toHaveLength(3);
    expect(server.requests[2]).not.toHaveProperty("stream_options");
    expect(seen.fallbacks).toHaveLength(1);
    expect(seen.succeeded).toEqual(["persona", "persona"]);
  });

  it("sends one system message and alternating turns to a strict chat template, from then on", async () => {
    const server = await serve({ strictTemplate: true });
    const seen = watching();
    const engine = persona(server, { observer: seen.observer });
    expect(await ask(engine).result).toMatchObject({ ok: true, text: "Fine. What did you want to talk about?" });
    const [refused, accepted] = server.requests;
    expect(refused?.messages.map((message) => message.role)).toEqual(["system", "assistant", "user", "system"]);
    expect(accepted?.messages.map((message) => message.role)).toEqual(["system", "user", "assistant", "user"]);
    expect(accepted?.messages[0]?.content).toContain(personaInstructions(scenario));
    expect(accepted?.messages[0]?.content).toContain("Right now your trust is");
    expect(accepted?.messages[1]?.content).toBe(conversationStartLine);
    expect(accepted?.messages[2]?.content).toBe(scenario.persona.opening_line);
    expect(seen.fallbacks).toEqual([expect.objectContaining({ capability: "message-layout", now: "alternating", providerMessage: expect.stringContaining("System message must be at the beginning") })]);
    await ask(engine).result;
    expect(server.requests).toHaveLength(3);
    expect(strictlyAlternating(server.requests[2]?.messages ?? [])).toBe(true);
  });

  it("gives up when the endpoint refuses what it already fell back from: no second fallback in one call", async () => {
    const server = await serve({});
    const layout = "Conversation roles must alternate user/assistant/user/assistant/...";
    server.script({ kind: "status", status: 400, message: layout }, { kind: "status", status: 400, message: layout });
    const result = await ask(persona(server)).result;
    expect(result).toEqual({ ok: false, code: "unavailable", message: "the model service answered 400" });
    expect(server.requests).toHaveLength(2);
  });

  it("switches the token cap a model refuses: max_tokens to max_completion_tokens", async () => {
    const server = await serve({ unsupportedParameters: ["max_tokens"] });
    const seen = watching();
    expect(await ask(persona(server, { observer: seen.observer, maxTokens: 250 })).result).toMatchObject({ ok: true });
    expect(server.requests.map((request) => [request.max_tokens, request.max_completion_tokens])).toEqual([
      [250, undefined],
      [undefined, 250],
    ]);
    expect(seen.fallbacks.map((fallback) => [fallback.capability, fallback.now])).toEqual([["token-parameter", "max_completion_tokens"]]);
  });

  it("sends the temperature it is given, and drops it where refused", async () => {
    const server = await serve({ unsupportedParameters: ["temperature"] });
    expect(await ask(persona(server, { temperature: 0.8 })).result).toMatchObject({ ok: true });
    expect(server.requests.map((request) => request.temperature)).toEqual([0.8, undefined]);
  });

  it("reaches an Azure deployment with its api-version and api-key header, and reports a wrong key", async () => {
    const server = await serve({ azure: { apiKey: "azure-key" }, json: () => answer() });
    const origin = new URL(server.baseUrl).origin;
    const settings = { kind: "azure" as const, baseUrl: origin, apiKey: "azure-key", model: "spar-persona" };
    expect(await ask(persona(server, settings)).result).toMatchObject({ ok: true, text: "Fine. What did you want to talk about?" });
    expect(server.arrivals).toEqual([{ path: "/openai/deployments/spar-persona/chat/completions", apiVersion: defaultAzureApiVersion, apiKeyHeader: "azure-key", authorization: null }]);
    expect(await ask(persona(server, { ...settings, apiKey: "wrong" })).result).toEqual({ ok: false, code: "unavailable", message: "the model service answered 401" });
    expect((await score(judge(server, { ...settings, model: "spar-judge", azureApiVersion: "2025-04-01-preview" }))).ok).toBe(true);
    expect(server.arrivals.at(-1)).toMatchObject({ path: "/openai/deployments/spar-judge/chat/completions", apiVersion: "2025-04-01-preview" });
  });

  it("marks a reply the server cut at its token limit", async () => {
    const server = await serve({ lengthAfterTokens: 3 });
    expect(await ask(persona(server)).result).toEqual({ ok: true, text: "Fine. What did", usage: expect.anything(), interrupted: "token-limit" });
  });

  it("relays a model that repeats its instructions word for word (what an output guard must catch)", async () => {
    const server = await serve({ echoSystemPrompt: true });
    // The instructions are longer than a reply's usual cap, which the fake keeps to as a provider does.
    const result = await ask(persona(server, { maxTokens: 10_000 })).result;
    expect(result.ok && result.text).toBe(personaInstructions(scenario));
  });

  it("streams in chunks of the size asked: one token or twenty", async () => {
    const text = Array.from({ length: 40 }, (_, index) => `word${index}`).join(" ");
    const fine = await serve({ reply: () => text, tokensPerChunk: 1 });
    const coarse = await serve({ reply: () => text, tokensPerChunk: 20 });
    const one = ask(persona(fine));
    const twenty = ask(persona(coarse));
    expect(await one.result).toMatchObject({ ok: true, text });
    expect(await twenty.result).toMatchObject({ ok: true, text });
    expect(one.deltas).toHaveLength(40);
    expect(twenty.deltas).toHaveLength(2);
  });

  it("asks a server without json_schema in JSON mode, with the schema in the instructions", async () => {
    const server = await serve({ rejectResponseFormat: "json_schema", json: () => answer() });
    const seen = watching();
    const result = await score(judge(server, { observer: seen.observer }));
    expect(result.ok).toBe(true);
    expect(server.requests.map((request) => request.response_format?.type)).toEqual(["json_schema", "json_object"]);
    expect(server.requests[1]?.messages[0]?.content).toContain("The object must match this JSON Schema");
    expect(seen.fallbacks).toEqual([expect.objectContaining({ purpose: "judge", capability: "structured-output", now: "json_object" })]);
  });

  it("asks a server without any response_format in the prompt alone, and reads the object out of a chatty answer", async () => {
    const server = await serve({ rejectResponseFormat: "all", json: () => answer() });
    const result = await score(judge(server));
    expect(result.ok).toBe(true);
    expect(server.requests.map((request) => request.response_format?.type ?? "none")).toEqual(["json_schema", "none"]);
    expect(server.requests[1]?.messages[0]?.content).toContain("The object must match this JSON Schema");

    const chatty = await serve({ rejectResponseFormat: "all", reply: () => `Here is my assessment:\n\`\`\`json\n${JSON.stringify(answer())}\n\`\`\`` });
    expect((await score(judge(chatty))).ok).toBe(true);
    expect(chatty.requests).toHaveLength(2);
  });

  it("sends a judge's context, transcript and correction as alternating turns to a strict template", async () => {
    const server = await serve({ strictTemplate: true, json: () => answer() });
    const result = await score(judge(server));
    expect(result.ok).toBe(true);
    expect(server.requests.map((request) => request.messages.map((message) => message.role))).toEqual([
      ["system", "user", "user"],
      ["system", "user"],
    ]);
  });

  it("learns a refusal once when several samples are refused at the same moment", async () => {
    const server = await serve({ rejectResponseFormat: "json_schema", unsupportedParameters: ["seed"], json: () => answer() });
    const seen = watching();
    const result = await score(judge(server, { samples: 3, observer: seen.observer }));
    expect(result.ok).toBe(true);
    expect(seen.fallbacks.map((fallback) => fallback.capability).sort()).toEqual(["seed", "structured-output"]);
    const answered = server.requests.filter((request) => request.response_format?.type === "json_object" && request.seed === undefined);
    expect(answered).toHaveLength(3);
  });
});
