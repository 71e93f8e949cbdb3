// The one place that reads process.env: every setting is parsed and checked here, once, with a
// message a person can act on.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";

export const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === "" ? undefined : value))
  .optional();

const EnvSchema = z
  .object({
    SPAR_ENV: z.enum(["production", "development", "test"]).default("production"),
    PORT: z.coerce.number().int().min(1).max(65_535).default(3000),
    HOST: z.string().min(1).default("127.0.0.1"),
    PUBLIC_URL: z.url({ message: "must be the address users open, e.g. https://spar.example.com" }).optional(),
    DATABASE_URL: optionalText.pipe(
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, { message: "must be a postgres:// or postgresql:// URL" })
        .optional(),
    ),
    SPAR_DATA_DIR: z.string().min(1).default("data"),
    SPAR_DEMO: z.enum(["offer", "load", "off"]).default("offer"),
    SPAR_DEMO_HISTORY: z.enum(["on", "off"]).default("on"),
    SPAR_LIBRARY_DIR: z.string().min(1).default("scenarios"),
    SPAR_LIBRARY_WATCH: z.enum(["on", "off"]).optional(),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    SESSION_IDLE_MINUTES: z.coerce.number().int().min(5).max(43_200).default(720),
    SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(8_760).default(168),
    OPENAI_API_KEY: optionalText,
    OPENAI_BASE_URL: optionalText.pipe(z.url({ message: "must be a URL, e.g. http://localhost:11434/v1" }).optional()),
    SPAR_SCORING_WORKER: z.enum(["on", "off"]).default("on"),
    SPAR_MAX_OPEN_SESSIONS: z.coerce.number().int().min(1).max(50).default(3),
    SPAR_STREAM_COALESCE_MS: z.coerce.number().int().min(0).max(200).default(0),
    SPAR_PERSONA_MODEL: z.string().min(1).default("gpt-4.1-mini"),
    SPAR_JUDGE_MODEL: z.string().min(1).default("gpt-4.1"),
    SPAR_METRICS: z.enum(["on", "off"]).default("on"),
    METRICS_TOKEN: optionalText.pipe(
      z.string().min(16, { message: "must be at least 16 characters, e.g. from `openssl rand -hex 32`" }).optional(),
    ),
  })
  .transform((env) => ({
    environment: env.SPAR_ENV,
    port: env.PORT,
    host: env.HOST,
    publicUrl: new URL(env.PUBLIC_URL ?? `http://localhost:${env.PORT}`),
    database: env.DATABASE_URL
      ? ({ kind: "postgresql", url: env.DATABASE_URL } as const)
      : ({ kind: "pglite", dataDir: path.resolve(repositoryRoot, env.SPAR_DATA_DIR) } as const),
    demo: env.SPAR_DEMO,
    /** Whether the demo organisation comes with weeks of practice history. */
    demoHistory: env.SPAR_DEMO_HISTORY === "on",
    library: {
      dir: path.resolve(repositoryRoot, env.SPAR_LIBRARY_DIR),
      // Reload on file changes while authoring (development); production loads once.
      watch: (env.SPAR_LIBRARY_WATCH ?? (env.SPAR_ENV === "development" ? "on" : "off")) === "on",
    },
    logLevel: env.LOG_LEVEL,
    practice: { maxActiveSessions: env.SPAR_MAX_OPEN_SESSIONS, coalesceMs: env.SPAR_STREAM_COALESCE_MS },
    scoring: { worker: env.SPAR_SCORING_WORKER === "on" },
    /** GET /metrics for Prometheus; with a token, scrapers must send it as a bearer token. */
    metrics: { enabled: env.SPAR_METRICS === "on", token: env.METRICS_TOKEN ?? null },
    sessionPolicy: {
      idleTimeoutMs: env.SESSION_IDLE_MINUTES * 60_000,
      absoluteTimeoutMs: env.SESSION_MAX_HOURS * 3_600_000,
    },
    llm: env.OPENAI_API_KEY
      ? ({
          engine: "openai-compatible",
          apiKey: env.OPENAI_API_KEY,
          baseUrl: env.OPENAI_BASE_URL ?? null,
          personaModel: env.SPAR_PERSONA_MODEL,
          judgeModel: env.SPAR_JUDGE_MODEL,
        } as const)
      : ({ engine: "offline" } as const),
  }));

export type AppConfig = z.infer<typeof EnvSchema>;

// Never echoed back in error messages: they may carry passwords or keys.
const secretSettings = new Set(["DATABASE_URL", "OPENAI_API_KEY", "METRICS_TOKEN"]);

export class ConfigError extends Error {}

/** Parses settings from an environment (process.env by default); throws ConfigError listing every bad value. */
export function loadConfig(environment: Record<string, string | undefined> = process.env): AppConfig {
  const result = EnvSchema.safeParse(environment);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const name = issue.path.join(".");
    const given = environment[name];
    const shown = given === undefined || secretSettings.has(name) ? "" : ` (got "${given}")`;
    return `  ${name}: ${issue.message}${shown}`;
  });
  throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
}
