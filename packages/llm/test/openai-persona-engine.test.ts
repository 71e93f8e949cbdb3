// The real openai SDK against the fake OpenAI-compatible server, over loopback.
import {
  classifyTurn,
  decidePersonaMove,
  initialPersonaState,
  personaInstructions,
  type Scenario,
  type TokenUsage,
  type TranscriptTurn,
} from "@spar/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LlmObserver, LlmPurpose } from "../src/llm-observer.ts";
import { OpenAiPersonaEngine, type OpenAiPersonaSettings } from "../src/openai-persona-engine.ts";
import { FakeOpenAiServer } from "../src/testing/fake-openai-server.ts";
import { shippedScenario } from "./shipped-scenario.ts";

function recordingObserver() {
  const seen = {
    firstTokens: [] as { model: string; seconds: number }[],
    usages: [] as { model: string; purpose: LlmPurpose; usage: TokenUsage }[],
    failures: [] as [model: string, code: string][],
  };
  const observer: LlmObserver = {
    firstToken: (model, seconds) => seen.firstTokens.push({ model, seconds }),
    usage: (model, purpose, usage) => seen.usages.push({ model, purpose, usage }),
    failure: (model, code) => seen.failures.push([model, code]),
  };
  return { ...seen, observer };
}

describe("the LLM persona through the openai SDK", () => {
  let fake: FakeOpenAiServer;
  let scenario: Scenario;
  const engine = (overrides: Partial<OpenAiPersonaSettings> = {}) =>
    new OpenAiPersonaEngine({
      apiKey: "sk-test", baseUrl: fake.baseUrl, model: "persona-model",
      turnDeadlineMs: 5_000, stallMs: 500, maxRetries: 2, promptBudgetTokens: 6_000, ...overrides,
    });
  const request = (learnerText: string, earlier: TranscriptTurn[] = []) => {
    const state = initialPersonaState(scenario);
    const transcript: TranscriptTurn[] = [
      { seq: 1, speaker: "persona", text: scenario.persona.opening_line },
      ...earlier,
      { seq: earlier.length + 2, speaker: "learner", text: learnerText },
    ];
    const move = decidePersonaMove(scenario, state, { text: learnerText, acts: classifyTurn(learnerText), number: 1 });
    return { scenario, state, move, transcript };
  };
  const collect = () => {
    const deltas: string[] = [];
    return { deltas, onDelta: (text: string) => deltas.push(text), signal: new AbortController().signal };
  };

  beforeAll(async () => {
    fake = await FakeOpenAiServer.start({ firstTokenMs: 5, tokensPerSecond: 500 });
    scenario = await shippedScenario("missed-deadline");
  });
  afterAll(() => fake?.close());

  it("streams the reply and records token usage", async () => {
    fake.script({ kind: "reply", text: "Right. I have been working until midnight, but sure." });
    const options = collect();
    const result = await engine().reply(request("You always miss deadlines."), options);
    expect(result).toMatchObject({ ok: true, text: "Right. I have been working until midnight, but sure.", interrupted: null });
    expect(options.deltas.length).toBeGreaterThan(3);
    expect(result.ok && result.usage?.outputTokens).toBe(9);
  });

  it("puts the unchanging instructions first, byte for byte the same every turn, and never the rubric", async () => {
    fake.script({ kind: "reply", text: "One." }, { kind: "reply", text: "Two." });
    await engine().reply(request("What happened?"), collect());
    await engine().reply(request("Tell me more.", [{ seq: 2, speaker: "learner", text: "What happened?" }, { seq: 3, speaker: "persona", text: "One." }]), collect());
    const [first, second] = fake.requests.slice(-2);
    expect(first?.messages[0]).toEqual({ role: "system", content: personaInstructions(scenario) });
    expect(second?.messages[0]).toEqual(first?.messages[0]);
    const prompt = JSON.stringify(first?.messages);
    expect(prompt).toContain("Never coach");
    expect(prompt).toContain("Marlowe"); // the persona knows its hidden facts
    expect(prompt).not.toMatch(/rubric|names-the-issue|stays-curious/i);
    expect(first?.messages.at(-1)?.content).toContain("The rule that applies to their last message");
  });

  it("retries a 429 after the server's retry-after, and a 500", async () => {
    const before = fake.requests.length;
    fake.script({ kind: "status", status: 429, retryAfterSeconds: 0 }, { kind: "status", status: 500 }, { kind: "reply", text: "Okay." });
    const result = await engine().reply(request("Hello?"), collect());
    expect(result).toMatchObject({ ok: true, text: "Okay." });
    expect(fake.requests.length - before).toBe(3);
  });

  it("gives up after its retries with a clear reason", async () => {
    fake.script({ kind: "status", status: 500 }, { kind: "status", status: 500 }, { kind: "status", status: 500 });
    const result = await engine().reply(request("Hello?"), collect());
    expect(result).toEqual({ ok: false, code: "unavailable", message: "the model service answered 500" });
  });

  it("times out a stream that stalls before saying anything, well inside its deadline", async () => {
    fake.script({ kind: "stall", afterTokens: 0 });
    const started = Date.now();
    const result = await engine({ maxRetries: 0 }).reply(request("Hello?"), collect());
    expect(result).toMatchObject({ ok: false, code: "timeout" });
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it("keeps what was said when the stream stalls or the connection drops mid-reply", async () => {
    fake.script({ kind: "stall", afterTokens: 3 }, { kind: "reset", afterTokens: 2 });
    const stalled = await engine({ maxRetries: 0 }).reply(request("Hello?"), collect());
    expect(stalled).toMatchObject({ ok: true, text: "Fine. What did", interrupted: "timeout" });
    const reset = await engine({ maxRetries: 0 }).reply(request("Hello?"), collect());
    expect(reset).toMatchObject({ ok: true, interrupted: "stream-lost" });
    // A dropped connection can lose the bytes in flight: whatever arrived is kept.
    const kept = reset.ok ? reset.text : "";
    expect(kept.length).toBeGreaterThan(0);
    expect("Fine. What did you want to talk about?".startsWith(kept)).toBe(true);
  });

  it("tells its observer the first-token latency, the tokens used and every failed attempt", async () => {
    const seen = recordingObserver();
    const observed = (overrides: Partial<OpenAiPersonaSettings> = {}) => engine({ observer: seen.observer, ...overrides });
    fake.script({ kind: "status", status: 429, retryAfterSeconds: 0 }, { kind: "reply", text: "Okay then." });
    expect(await observed().reply(request("Hello?"), collect())).toMatchObject({ ok: true, text: "Okay then." });
    expect(seen.firstTokens).toHaveLength(1);
    expect(seen.firstTokens[0]?.model).toBe("persona-model");
    expect(seen.firstTokens[0]?.seconds).toBeGreaterThan(0.004); // the fake waits 5 ms before the first token
    expect(seen.usages).toEqual([{ model: "persona-model", purpose: "persona", usage: expect.objectContaining({ outputTokens: 2 }) }]);
    expect(seen.failures).toEqual([["persona-model", "http_429"]]);

    fake.script({ kind: "stall", afterTokens: 2 }, { kind: "reset", afterTokens: 2 });
    await observed({ maxRetries: 0 }).reply(request("Hello?"), collect());
    await observed({ maxRetries: 0 }).reply(request("Hello?"), collect());
    expect(seen.failures.slice(1)).toEqual([["persona-model", "stall"], ["persona-model", "stream_lost"]]);
    expect(seen.firstTokens).toHaveLength(3);
  });

  it("stops when the learner interrupts, keeping the words so far", async () => {
    const slow = await FakeOpenAiServer.start({ tokensPerSecond: 20 });
    try {
      const controller = new AbortController();
      const deltas: string[] = [];
      const reply = new OpenAiPersonaEngine({
        apiKey: "sk-test", baseUrl: slow.baseUrl, model: "m", turnDeadlineMs: 5_000, stallMs: 2_000, maxRetries: 0, promptBudgetTokens: 6_000,
      }).reply(request("Hi"), { signal: controller.signal, onDelta: (text) => {
        deltas.push(text);
        if (deltas.length === 3) controller.abort();
      } });
      const result = await reply;
      expect(result).toMatchObject({ ok: true, interrupted: "stopped" });
      expect(result.ok && result.text).toBe(deltas.join("").trim());
    } finally {
      await slow.close();
    }
  });
});
