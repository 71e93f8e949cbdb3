import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, repositoryRoot } from "../src/env.ts";

describe("configuration", () => {
  it("runs on an embedded database in ./data with the offline engine by default", () => {
    const config = loadConfig({});
    expect(config.database).toEqual({ kind: "pglite", dataDir: path.join(repositoryRoot, "data") });
    expect(config.llm).toEqual({ engine: "offline" });
    expect(config.port).toBe(3000);
    expect(config.publicUrl.origin).toBe("http://localhost:3000");
  });

  it("uses PostgreSQL when DATABASE_URL is set, and an LLM when a key is set", () => {
    const config = loadConfig({
      DATABASE_URL: "postgres://spar@db:5432/spar",
      OPENAI_API_KEY: "sk-test",
      OPENAI_BASE_URL: "http://localhost:11434/v1",
      SPAR_PERSONA_MODEL: "llama3.1",
    });
    expect(config.database).toEqual({ kind: "postgresql", url: "postgres://spar@db:5432/spar" });
    expect(config.llm).toMatchObject({
      engine: "openai-compatible",
      persona: { kind: "compatible", baseUrl: "http://localhost:11434/v1", apiKey: "sk-test", model: "llama3.1" },
      judge: { kind: "compatible", baseUrl: "http://localhost:11434/v1", apiKey: "sk-test", model: "gpt-4.1" },
    });
  });

  it("asks the judge once with a fixed seed by default; samples and seed can be set, within bounds", () => {
    expect(loadConfig({ OPENAI_API_KEY: "sk-test" }).llm).toMatchObject({ judge: { samples: 1, seed: 13 } });
    expect(loadConfig({ OPENAI_API_KEY: "sk-test", SPAR_JUDGE_SAMPLES: "3", SPAR_JUDGE_SEED: "2024" }).llm).toMatchObject({ judge: { samples: 3, seed: 2024 } });
    expect(() => loadConfig({ SPAR_JUDGE_SAMPLES: "0" })).toThrow(/SPAR_JUDGE_SAMPLES/);
    expect(() => loadConfig({ SPAR_JUDGE_SAMPLES: "many" })).toThrow(/SPAR_JUDGE_SAMPLES/);
    expect(() => loadConfig({ SPAR_JUDGE_SEED: "-1" })).toThrow(/SPAR_JUDGE_SEED/);
  });

  it("lists every bad value at once, and never echoes a secret", () => {
    const attempt = () =>
      loadConfig({ PORT: "eighty", DATABASE_URL: "mysql://root:hunter2@db/spar", SPAR_DEMO: "maybe" });
    expect(attempt).toThrow(ConfigError);
    const message = (() => {
      try {
        attempt();
        return "";
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(message).toContain('PORT: ');
    expect(message).toContain('(got "eighty")');
    expect(message).toContain("DATABASE_URL: must be a postgres:// or postgresql:// URL");
    expect(message).toContain("SPAR_DEMO");
    expect(message).not.toContain("hunter2");
  });

  it("serves metrics by default, without a token; a token must be long and is never echoed", () => {
    expect(loadConfig({}).metrics).toEqual({ enabled: true, token: null, publicAllowed: false });
    expect(loadConfig({ SPAR_METRICS: "off", METRICS_TOKEN: "0123456789abcdef" }).metrics).toEqual({ enabled: false, token: "0123456789abcdef", publicAllowed: false });
    expect(() => loadConfig({ METRICS_TOKEN: "hunter2" })).toThrow(/METRICS_TOKEN: must be at least 16 characters/);
    expect(() => loadConfig({ METRICS_TOKEN: "hunter2" })).not.toThrow(/hunter2/);
  });

  it("takes SPAR_ALLOWED_HOSTS as host names, and refuses a URL or a port in it", () => {
    expect(loadConfig({ SPAR_ALLOWED_HOSTS: " Spar.Internal, 10.0.0.5 ,[::1]" }).allowedHosts).toEqual(["spar.internal", "10.0.0.5", "[::1]"]);
    expect(() => loadConfig({ SPAR_ALLOWED_HOSTS: "https://spar.internal" })).toThrow(/SPAR_ALLOWED_HOSTS: must be a comma list of host names/);
    expect(() => loadConfig({ SPAR_ALLOWED_HOSTS: "spar.internal:3000" })).toThrow(/SPAR_ALLOWED_HOSTS/);
  });

  it("treats an empty DATABASE_URL or OPENAI_API_KEY as unset", () => {
    const config = loadConfig({ DATABASE_URL: "", OPENAI_API_KEY: " " });
    expect(config.database.kind).toBe("pglite");
    expect(config.llm.engine).toBe("offline");
  });
});
