// The same persona and judge calls, through Spar's engines and the real openai SDK, against Spar's
// own fake model server and against @dwmkerr/mock-llm from npm: what Spar gets back must not
// depend on which one answers, so the fake cannot drift into accepting what real servers do not.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import {
  classifyTurn,
  conversationMetrics,
  decidePersonaMove,
  exampleTranscript,
  initialPersonaState,
  type Library,
  loadLibrary,
  type Rubric,
  type Scenario,
  type ScoredTurn,
  scoringContext,
  type TranscriptTurn,
} from "@spar/domain";
import { EndpointCapabilities, type LlmCapabilityFallback, type LlmObserver, OpenAiJudge, OpenAiPersonaEngine } from "@spar/llm";
import { FakeOpenAiServer } from "@spar/llm/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startMockLlm } from "../fixtures/mock-llm-server.ts";
import { repositoryRoot } from "../fixtures/processes.ts";

const reply = "Fine. What did you want to talk about? I have a release to ship today.";

async function shippedLibrary(): Promise<Library> {
  const dir = path.join(repositoryRoot, "scenarios");
  const names = (await readdir(dir, { recursive: true })).filter((name) => name.endsWith(".yaml"));
  return (await loadLibrary(await Promise.all(names.map(async (name) => ({ path: name, text: await readFile(path.join(dir, name), "utf8") }))))).library;
}

let library: Library;
let scenario: Scenario;
let rubric: Rubric;
let transcript: ScoredTurn[];

/** A judge answer that keeps every evidence rule for the missed-deadline example. */
function answer() {
  const quote = (transcript[1]?.text ?? "").split(". ")[0];
  return {
    influence_attempts: [],
    criteria: rubric.criteria.map((criterion) => ({ criterion_id: criterion.id, evidence: [{ turn: 2, quote, stance: "supports" }], rationale: "Named the issue.", level: 3 })),
  };
}

const servers = [
  {
    name: "Spar's fake model server",
    start: async () => {
      const fake = await FakeOpenAiServer.start({ reply: () => reply, json: () => answer(), rejectResponseFormat: "json_schema", tokensPerChunk: 2, tokensPerSecond: 2_000 });
      return { baseUrl: fake.baseUrl, close: () => fake.close() };
    },
  },
  { name: "@dwmkerr/mock-llm", start: () => startMockLlm({ reply, json: answer(), chunkSize: 8 }) },
];

beforeAll(async () => {
  library = await shippedLibrary();
  scenario = library.scenarios.get("missed-deadline")?.value as Scenario;
  rubric = library.rubrics.get(scenario.rubric)?.value as Rubric;
  transcript = exampleTranscript(library.examples.find((each) => each.value.scenario === "missed-deadline" && each.value.label === "strong")?.value as never);
});

describe.each(servers)("Spar's calls against $name", (server) => {
  let endpoint: { baseUrl: string; close: () => Promise<void> };
  const fallbacks: LlmCapabilityFallback[] = [];
  const observer: LlmObserver = { firstToken: () => {}, usage: () => {}, failure: () => {}, capabilityFellBack: (fallback) => fallbacks.push(fallback) };
  const capabilities = new EndpointCapabilities();
  const settings = () => ({ apiKey: "sk-test", baseUrl: endpoint.baseUrl, kind: "compatible" as const, maxRetries: 0, observer, capabilities });

  beforeAll(async () => {
    // mock-llm says every request it serves on standard output.
    vi.spyOn(console, "log").mockImplementation(() => {});
    endpoint = await server.start();
  });
  afterAll(async () => {
    await endpoint?.close();
    vi.restoreAllMocks();
  });

  it("streams the persona's reply in several deltas and ends it cleanly", async () => {
    const engine = new OpenAiPersonaEngine({ ...settings(), model: "persona-model", turnDeadlineMs: 5_000, stallMs: 2_000, promptBudgetTokens: 6_000 });
    const learnerText = "What happened on Thursday?";
    const state = initialPersonaState(scenario);
    const turns: TranscriptTurn[] = [
      { seq: 1, speaker: "persona", text: scenario.persona.opening_line },
      { seq: 2, speaker: "learner", text: learnerText },
    ];
    const move = decidePersonaMove(scenario, state, { text: learnerText, acts: classifyTurn(learnerText), number: 1 });
    const deltas: string[] = [];
    const result = await engine.reply({ scenario, state, move, transcript: turns }, { signal: new AbortController().signal, onDelta: (text) => deltas.push(text) });
    expect(result).toMatchObject({ ok: true, text: reply, interrupted: null });
    expect(deltas.length).toBeGreaterThan(3);
    expect(deltas.join("")).toBe(reply);
  });

  it("scores through JSON mode when the server has no json_schema, and learns it once", async () => {
    const judge = new OpenAiJudge({ ...settings(), model: "judge-model", timeoutMs: 5_000 });
    const first = await judge.score(rubric, transcript, conversationMetrics(transcript), scoringContext(scenario));
    expect(first.ok && first.criteria.map((criterion) => [criterion.criterionId, criterion.level])).toEqual(rubric.criteria.map((criterion) => [criterion.id, 3]));
    const second = await judge.score(rubric, transcript, conversationMetrics(transcript), scoringContext(scenario));
    expect(second.ok).toBe(true);
    expect(fallbacks).toEqual([expect.objectContaining({ purpose: "judge", capability: "structured-output", now: "json_object", providerMessage: expect.stringContaining("'json_schema' is not supported") })]);
  });
});
