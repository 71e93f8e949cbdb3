import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/env.ts";

/** The message of the ConfigError these settings raise. */
function problem(environment: Record<string, string>): string {
  try {
    loadConfig(environment);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("the persona's and the judge's model settings", () => {
  it("takes OPENAI_API_KEY alone as OpenAI for both roles, as it always did", () => {
    expect(loadConfig({ OPENAI_API_KEY: "sk-test" }).llm).toEqual({
      engine: "openai-compatible",
      persona: { kind: "openai", baseUrl: null, apiKey: "sk-test", model: "gpt-4.1-mini", azureApiVersion: "2024-10-21", temperature: null, maxTokens: 400, tokenParameter: null },
      judge: { kind: "openai", baseUrl: null, apiKey: "sk-test", model: "gpt-4.1", azureApiVersion: "2024-10-21", temperature: null, maxTokens: null, tokenParameter: null, samples: 1, seed: 13 },
    });
  });

  it("stays offline with a base URL and no key, as before", () => {
    expect(loadConfig({ OPENAI_BASE_URL: "http://localhost:11434/v1" }).llm).toEqual({ engine: "offline" });
  });

  it("gives each role its own endpoint, key and model, falling back to the shared ones", () => {
    const { llm } = loadConfig({
      OPENAI_API_KEY: "sk-shared",
      SPAR_PERSONA_BASE_URL: "http://gpu-box:8000/v1",
      SPAR_PERSONA_MODEL: "mistral-small",
      SPAR_PERSONA_TEMPERATURE: "0.8",
      SPAR_PERSONA_MAX_TOKENS: "300",
      SPAR_JUDGE_PROVIDER: "azure",
      SPAR_JUDGE_BASE_URL: "https://contoso.openai.azure.com",
      SPAR_JUDGE_API_KEY: "azure-key",
      SPAR_JUDGE_MODEL: "gpt-4o-judge",
      AZURE_OPENAI_API_VERSION: "2025-04-01-preview",
      SPAR_JUDGE_TOKEN_PARAMETER: "max_completion_tokens",
      SPAR_JUDGE_MAX_TOKENS: "4000",
    });
    expect(llm).toMatchObject({
      persona: { kind: "compatible", baseUrl: "http://gpu-box:8000/v1", apiKey: "sk-shared", model: "mistral-small", temperature: 0.8, maxTokens: 300 },
      judge: { kind: "azure", baseUrl: "https://contoso.openai.azure.com", apiKey: "azure-key", model: "gpt-4o-judge", azureApiVersion: "2025-04-01-preview", tokenParameter: "max_completion_tokens", maxTokens: 4000 },
    });
  });

  it("guesses Azure from the URL, and a role's own api-version wins over the shared one", () => {
    const { llm } = loadConfig({ OPENAI_API_KEY: "k", OPENAI_BASE_URL: "https://contoso.openai.azure.com/", AZURE_OPENAI_API_VERSION: "2024-10-21", SPAR_PERSONA_AZURE_API_VERSION: "2025-01-01-preview" });
    expect(llm).toMatchObject({ persona: { kind: "azure", azureApiVersion: "2025-01-01-preview" }, judge: { kind: "azure", azureApiVersion: "2024-10-21" } });
  });

  it("runs a local server that takes no key with a placeholder key", () => {
    const { llm } = loadConfig({ SPAR_PERSONA_PROVIDER: "compatible", OPENAI_BASE_URL: "http://localhost:11434/v1", SPAR_PERSONA_MODEL: "llama3.1", SPAR_JUDGE_MODEL: "qwen2.5" });
    expect(llm).toMatchObject({ engine: "openai-compatible", persona: { kind: "compatible", apiKey: "no-key" }, judge: { kind: "compatible", apiKey: "no-key" } });
  });

  it("says what to set when one role has a key and the other has none", () => {
    const message = problem({ SPAR_PERSONA_API_KEY: "sk-persona" });
    expect(message).toContain("SPAR_JUDGE_API_KEY: is needed: the judge model (openai) has no key. Set SPAR_JUDGE_API_KEY, or OPENAI_API_KEY for both roles");
    expect(message).not.toContain("SPAR_PERSONA_API_KEY");
    expect(message).not.toContain("sk-persona");
  });

  it("says a base URL is needed for Azure or a compatible server", () => {
    expect(problem({ OPENAI_API_KEY: "k", SPAR_JUDGE_PROVIDER: "azure" })).toContain("SPAR_JUDGE_BASE_URL: is needed for the judge with provider azure (or OPENAI_BASE_URL for both roles), e.g. https://my-resource.openai.azure.com");
    expect(problem({ SPAR_PERSONA_PROVIDER: "compatible", OPENAI_API_KEY: "k" })).toContain("SPAR_PERSONA_BASE_URL: is needed for the persona with provider compatible");
  });

  it("refuses values it cannot use, naming the setting, and never echoes a role's key", () => {
    const message = problem({ OPENAI_API_KEY: "k", SPAR_PERSONA_PROVIDER: "anthropic", SPAR_PERSONA_TEMPERATURE: "hot", SPAR_JUDGE_TOKEN_PARAMETER: "max", SPAR_JUDGE_BASE_URL: "gpu-box", SPAR_JUDGE_API_KEY: " " });
    expect(message).toContain('SPAR_PERSONA_PROVIDER: must be openai, azure or compatible (got "anthropic")');
    expect(message).toContain('SPAR_PERSONA_TEMPERATURE: must be a number, e.g. 0.8 (got "hot")');
    expect(message).toContain("SPAR_JUDGE_TOKEN_PARAMETER: must be auto, max_tokens or max_completion_tokens");
    expect(message).toContain("SPAR_JUDGE_BASE_URL: must be a URL");
    expect(problem({ SPAR_PERSONA_API_KEY: "sk-secret-value", SPAR_PERSONA_MAX_TOKENS: "5" })).not.toContain("sk-secret-value");
    expect(problem({ OPENAI_API_KEY: "k", SPAR_JUDGE_TEMPERATURE: "3" })).toContain("SPAR_JUDGE_TEMPERATURE");
  });
});

describe("the speech endpoints for voice practice", () => {
  it("leaves voice unavailable without a speech-to-text service, and says what to set", () => {
    const { speech } = loadConfig({});
    expect(speech).toEqual({ realtime: null, stt: null, tts: null, unavailable: expect.stringContaining("SPAR_STT_BASE_URL"), interimMs: 1_500, keepAudio: false, leadMs: 1_500 });
  });

  it("takes OpenAI for both with OPENAI_API_KEY alone", () => {
    expect(loadConfig({ OPENAI_API_KEY: "sk-test" }).speech).toEqual({
      realtime: null,
      stt: { baseUrl: null, apiKey: "sk-test", model: "gpt-4o-mini-transcribe" },
      tts: { baseUrl: null, apiKey: "sk-test", model: "gpt-4o-mini-tts", voice: "alloy" },
      unavailable: null,
      interimMs: 1_500,
      keepAudio: false,
      leadMs: 1_500,
    });
    expect(loadConfig({ OPENAI_API_KEY: "sk-test", SPAR_KEEP_AUDIO: "on" }).speech.keepAudio).toBe(true);
    expect(loadConfig({ OPENAI_API_KEY: "sk-test", SPAR_STT_INTERIM_MS: "0" }).speech.interimMs).toBe(0);
  });

  it("gives each a self-hosted server of its own, which may take no key", () => {
    const { speech } = loadConfig({
      SPAR_STT_BASE_URL: "http://speaches:8000/v1",
      SPAR_STT_MODEL: "Systran/faster-whisper-small",
      SPAR_TTS_BASE_URL: "http://kokoro:8880/v1",
      SPAR_TTS_MODEL: "kokoro",
      SPAR_TTS_VOICE: "af_bella",
    });
    expect(speech.stt).toEqual({ baseUrl: "http://speaches:8000/v1", apiKey: expect.any(String), model: "Systran/faster-whisper-small" });
    expect(speech.tts).toEqual({ baseUrl: "http://kokoro:8880/v1", apiKey: expect.any(String), model: "kokoro", voice: "af_bella" });
    expect(speech.unavailable).toBeNull();
  });

  it("runs speech on Azure OpenAI, guessed from the resource's URL or set, with an api-version of its own or the shared one", () => {
    const { speech } = loadConfig({
      SPAR_STT_BASE_URL: "https://spar-speech.openai.azure.com",
      SPAR_STT_API_KEY: "azure-key",
      SPAR_STT_MODEL: "transcribe-deployment",
      SPAR_TTS_PROVIDER: "azure",
      SPAR_TTS_BASE_URL: "https://gateway.example.com/openai",
      SPAR_TTS_API_KEY: "azure-key",
      SPAR_TTS_MODEL: "tts-deployment",
      SPAR_TTS_AZURE_API_VERSION: "2025-03-01-preview",
    });
    expect(speech.stt).toEqual({ baseUrl: "https://spar-speech.openai.azure.com", apiKey: "azure-key", model: "transcribe-deployment", kind: "azure", azureApiVersion: "2024-10-21" });
    expect(speech.tts).toMatchObject({ baseUrl: "https://gateway.example.com/openai", kind: "azure", azureApiVersion: "2025-03-01-preview", model: "tts-deployment" });
    expect(loadConfig({ OPENAI_API_KEY: "k", OPENAI_BASE_URL: "https://spar.openai.azure.com", AZURE_OPENAI_API_VERSION: "2025-04-01-preview" }).speech.stt).toMatchObject({ kind: "azure", azureApiVersion: "2025-04-01-preview" });
    // A gateway with an Azure-looking name, said to be plain OpenAI-compatible, is taken at its word.
    expect(loadConfig({ SPAR_STT_PROVIDER: "compatible", SPAR_STT_BASE_URL: "https://proxy.openai.azure.com/v1" }).speech.stt).toMatchObject({ kind: "compatible" });
    expect(problem({ SPAR_STT_PROVIDER: "azure", SPAR_STT_API_KEY: "azure-key" })).toContain("SPAR_STT_BASE_URL");
    expect(problem({ SPAR_TTS_PROVIDER: "openai-ish" })).toContain("SPAR_TTS_PROVIDER");
    // The Realtime engine does not run on Azure: said at start, not when a learner first speaks.
    expect(problem({ SPAR_VOICE_ENGINE: "realtime", OPENAI_API_KEY: "k", OPENAI_BASE_URL: "https://spar.openai.azure.com" })).toContain("SPAR_REALTIME_BASE_URL");
  });

  it("runs the persona on a Realtime model where SPAR_VOICE_ENGINE=realtime, with its own endpoint or OpenAI's", () => {
    expect(loadConfig({ OPENAI_API_KEY: "sk-test", SPAR_VOICE_ENGINE: "realtime" }).speech.realtime).toEqual({
      baseUrl: null,
      apiKey: "sk-test",
      model: "gpt-realtime",
      transcriptionModel: "gpt-4o-mini-transcribe",
      voice: "marin",
    });
    const own = loadConfig({ SPAR_VOICE_ENGINE: "realtime", SPAR_REALTIME_BASE_URL: "http://realtime.internal:8000/v1", SPAR_REALTIME_MODEL: "speech-model", SPAR_REALTIME_VOICE: "cedar" }).speech;
    expect(own.realtime).toMatchObject({ baseUrl: "http://realtime.internal:8000/v1", model: "speech-model", voice: "cedar" });
    expect(own.unavailable).toBeNull();
    // Chosen without an endpoint, voice is unavailable and says what to set.
    const none = loadConfig({ SPAR_VOICE_ENGINE: "realtime" }).speech;
    expect(none.realtime).toBeNull();
    expect(none.unavailable).toContain("SPAR_REALTIME_BASE_URL");
    // The cascade is the default: a Realtime endpoint alone changes nothing.
    expect(loadConfig({ OPENAI_API_KEY: "sk-test", SPAR_REALTIME_BASE_URL: "http://realtime.internal:8000/v1" }).speech.realtime).toBeNull();
    expect(problem({ SPAR_VOICE_ENGINE: "speech-to-speech" })).toContain("SPAR_VOICE_ENGINE");
  });

  it("refuses a base URL that is not one, naming the setting but never a key", () => {
    const message = problem({ SPAR_STT_BASE_URL: "speaches", SPAR_STT_API_KEY: "very-secret" });
    expect(message).toContain("SPAR_STT_BASE_URL");
    expect(message).not.toContain("very-secret");
    expect(problem({ SPAR_STT_INTERIM_MS: "soon" })).toContain("SPAR_STT_INTERIM_MS");
  });
});
