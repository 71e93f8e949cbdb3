// `spar llm check` run as a process against the fake model server in the modes real providers
// behave in: what it prints, its exit code, and what the server received.
import { type FakeOpenAiOptions, FakeOpenAiServer, faithfulJudgeAnswer } from "@spar/llm/testing";
import { afterEach, describe, expect, it } from "vitest";
import { freePort, repositoryRoot, runCli } from "../fixtures/processes.ts";

describe("spar llm check", () => {
  const servers: FakeOpenAiServer[] = [];
  const serve = async (options: FakeOpenAiOptions = {}) => {
    const server = await FakeOpenAiServer.start({ tokensPerSecond: 2_000, json: (request) => faithfulJudgeAnswer(request), ...options });
    servers.push(server);
    return server;
  };
  const check = (environment: Record<string, string>) => runCli(["llm", "check"], { INIT_CWD: repositoryRoot, ...environment });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });

  it("says there is nothing to check on the offline engine, and exits 0", async () => {
    const result = await check({});
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Spar runs on its offline engine: no LLM is configured, so there is nothing to check.");
  });

  it("reports both roles working through a strict template without usage chunks, and what Spar does without", async () => {
    const server = await serve({ strictTemplate: true, rejectStreamOptions: true, tokensPerChunk: 3 });
    const result = await check({ OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: server.baseUrl, SPAR_PERSONA_MODEL: "mistral-small", SPAR_JUDGE_MODEL: "mistral-large" });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^persona: mistral-small \(compatible, http:\/\/127\.0\.0\.1:\d+\/v1\)$/m);
    expect(result.stdout).toMatch(/ok: a reply of 8 words streamed in 3 chunks, without token usage in \d+\.\d\d s; first token after \d+\.\d\d s/);
    expect(result.stdout).toContain('fell back: stream-usage -> none, because the endpoint said "Unrecognized request argument supplied: stream_options"');
    expect(result.stdout).toContain("fell back: message-layout -> alternating");
    expect(result.stdout).toMatch(/judge: mistral-large \(compatible, .*\)\n {2}ok: a scorecard of \d+ criteria for /);
    expect(result.stdout).toContain("Both roles work.");
    // The persona learned both refusals, so the judge (another model) learned its own layout refusal.
    expect(server.requests.filter((request) => request.model === "mistral-large").map((request) => request.messages.map((message) => message.role))).toEqual([
      ["system", "user", "user"],
      ["system", "user"],
    ]);
  });

  it("reaches Azure deployments, and names the key setting when the key is wrong (exit 1)", async () => {
    const server = await serve({ azure: { apiKey: "azure-key" } });
    const azure = { SPAR_PERSONA_PROVIDER: "azure", SPAR_JUDGE_PROVIDER: "azure", OPENAI_BASE_URL: new URL(server.baseUrl).origin, SPAR_PERSONA_MODEL: "persona-deployment", SPAR_JUDGE_MODEL: "judge-deployment" };
    const working = await check({ ...azure, OPENAI_API_KEY: "azure-key" });
    expect(working.stdout).toContain("Both roles work.");
    expect(working.code).toBe(0);
    expect(new Set(server.arrivals.map((arrival) => `${arrival.path}?api-version=${arrival.apiVersion} ${arrival.apiKeyHeader}`))).toEqual(
      new Set(["/openai/deployments/persona-deployment/chat/completions?api-version=2024-10-21 azure-key", "/openai/deployments/judge-deployment/chat/completions?api-version=2024-10-21 azure-key"]),
    );
    const refused = await check({ ...azure, SPAR_PERSONA_API_KEY: "not-the-key-0042", SPAR_JUDGE_API_KEY: "azure-key" });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain("FAILED: HTTP 401: Access denied due to invalid subscription key");
    expect(refused.stdout).toContain("what to do: Check SPAR_PERSONA_API_KEY (or OPENAI_API_KEY). Azure wants the resource's key, which Spar sends as the api-key header.");
    expect(refused.stdout).toContain("The persona does not work: fix what is named above and run `spar llm check` again.");
    expect(refused.stdout).not.toContain("not-the-key-0042");
  });

  it("asks a gateway without response_format for JSON in the prompt, and says where nothing answers", async () => {
    const gateway = await serve({ rejectResponseFormat: "all" });
    const closedPort = await freePort();
    const result = await check({
      SPAR_PERSONA_PROVIDER: "compatible",
      SPAR_PERSONA_BASE_URL: `http://127.0.0.1:${closedPort}/v1`,
      SPAR_JUDGE_BASE_URL: gateway.baseUrl,
      SPAR_JUDGE_API_KEY: "sk-gateway",
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`what to do: Is SPAR_PERSONA_BASE_URL (http://127.0.0.1:${closedPort}/v1) right, and the server running?`);
    expect(result.stdout).toContain("fell back: structured-output -> schema-in-prompt, because the endpoint said \"litellm.UnsupportedParamsError");
    expect(gateway.requests.at(-1)).not.toHaveProperty("response_format");
    expect(gateway.arrivals.every((arrival) => arrival.authorization === "Bearer sk-gateway")).toBe(true);
  });
});
