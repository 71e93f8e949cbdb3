// The one place that reads process.env: every setting is parsed and checked here, once, with a
// message a person can act on.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { llmConfig, llmEnvironment, llmProblems, llmSecretSettings } from "./llm-settings.ts";
import { speechConfig, speechEnvironment, speechProblems, speechSecretSettings } from "./speech-settings.ts";
import { isHostName } from "./public-address.ts";

export const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === "" ? undefined : value))
  .optional();

const EnvSchema = z
  .object({
    SPAR_ENV: z.enum(["production", "development", "test"]).default("production"),
    // Read only to tell a deployment from a trial (see `deployed` below); Spar's own modes are SPAR_ENV.
    NODE_ENV: optionalText,
    PORT: z.coerce.number().int().min(1).max(65_535).default(3000),
    HOST: z.string().min(1).default("127.0.0.1"),
    PUBLIC_URL: z.url({ message: "must be the address users open, e.g. https://spar.example.com" }).optional(),
    SPAR_ALLOWED_HOSTS: optionalText.pipe(
      z
        .string()
        .refine((value) => value.split(",").every((part) => isHostName(part.trim().toLowerCase())), {
          message: "must be a comma list of host names or addresses without scheme or port, e.g. spar.internal,10.0.0.5",
        })
        .optional(),
    ),
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
    // OPENAI_*, AZURE_OPENAI_API_VERSION and the SPAR_PERSONA_* and SPAR_JUDGE_* model settings (docs/llm-providers.md).
    ...llmEnvironment,
    // SPAR_STT_* and SPAR_TTS_*: the speech endpoints for voice practice (docs/llm-providers.md).
    ...speechEnvironment,
    SPAR_SCORING_WORKER: z.enum(["on", "off"]).default("on"),
    SPAR_SCORING_RETRY_MINUTES: z.coerce.number().int().min(0).max(10_080).default(60),
    SPAR_SCORING_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(2),
    SPAR_MAX_OPEN_SESSIONS: z.coerce.number().int().min(1).max(50).default(3),
    SPAR_STREAM_COALESCE_MS: z.coerce.number().int().min(0).max(200).default(0),
    SPAR_MAX_SOCKETS_PER_LEARNER: z.coerce.number().int().min(1).max(1_000).default(8),
    SPAR_MAX_EVENT_LOOP_DELAY_MS: z.coerce.number().int().min(0).max(60_000).optional(),
    SPAR_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
    SPAR_PRACTICE_MESSAGES_PER_SECOND: z.coerce.number().min(0.1).max(1_000).default(5),
    SPAR_PRACTICE_MESSAGE_BURST: z.coerce.number().int().min(1).max(10_000).default(10),
    SPAR_LLM_PROBE: z.enum(["on", "off"]).optional(),
    SPAR_METRICS: z.enum(["on", "off"]).default("on"),
    SPAR_METRICS_PUBLIC: z.enum(["on", "off"]).default("off"),
    METRICS_TOKEN: optionalText.pipe(
      z.string().min(16, { message: "must be at least 16 characters, e.g. from `openssl rand -hex 32`" }).optional(),
    ),
    SMTP_URL: optionalText.pipe(
      z.string().regex(/^smtps?:\/\//, { message: "must be an smtp:// or smtps:// URL, e.g. smtp://user:pass@mail.example.com:587" }).optional(),
    ),
    MAIL_FROM: optionalText,
    REDIS_URL: optionalText.pipe(
      z.string().regex(/^rediss?:\/\//, { message: "must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379" }).optional(),
    ),
    OIDC_ISSUER: optionalText.pipe(z.url({ message: "must be the provider's issuer URL, e.g. https://login.example.com" }).optional()),
    OIDC_CLIENT_ID: optionalText,
    OIDC_CLIENT_SECRET: optionalText,
    OIDC_ALLOWED_DOMAINS: optionalText,
    OIDC_PROVIDER_NAME: optionalText,
    SPAR_PASSWORD_SIGN_IN: z.enum(["on", "off"]).default("on"),
    SPAR_TRUST_PROXY: z
      .string()
      .trim()
      .default("off")
      .refine((value) => value === "off" || /^\d{1,2}$/.test(value) || value.split(",").every((part) => /^[0-9a-fA-F.:/]+$|^(loopback|linklocal|uniquelocal)$/.test(part.trim())), {
        message: "must be off, a number of proxy hops, or a comma list of proxy addresses/CIDRs (loopback, 10.0.0.0/8)",
      }),
    SCIM_TOKEN: optionalText.pipe(
      z.string().min(32, { message: "must be at least 32 characters, e.g. from `openssl rand -hex 32`" }).optional(),
    ),
    SPAR_RETENTION_DAYS: optionalText.pipe(z.coerce.number<string | undefined>().int().min(1).max(36_500).optional()),
  })
  .superRefine((env, context) => {
    llmProblems(env, context);
    speechProblems(env, context);
    const oidcParts = [env.OIDC_ISSUER, env.OIDC_CLIENT_ID, env.OIDC_CLIENT_SECRET];
    if (oidcParts.some(Boolean) && !oidcParts.every(Boolean)) {
      for (const name of ["OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET"] as const) {
        if (!env[name]) context.addIssue({ code: "custom", path: [name], message: "is needed for single sign-on (set all three, or none)" });
      }
    }
    if (env.SPAR_PASSWORD_SIGN_IN === "off" && !env.OIDC_ISSUER) {
      context.addIssue({ code: "custom", path: ["SPAR_PASSWORD_SIGN_IN"], message: "can be off only with single sign-on configured (OIDC_ISSUER)" });
    }
    if (env.SMTP_URL && !env.MAIL_FROM) {
      context.addIssue({ code: "custom", path: ["MAIL_FROM"], message: "is needed with SMTP_URL, e.g. Spar <spar@example.com>" });
    }
  })
  .transform((env) => ({
    environment: env.SPAR_ENV,
    port: env.PORT,
    host: env.HOST,
    publicUrl: new URL(env.PUBLIC_URL ?? `http://localhost:${env.PORT}`),
    /** Whether PUBLIC_URL was set; unset, Spar is taken to be reached on this machine only. */
    publicUrlSet: env.PUBLIC_URL !== undefined,
    /** Host names requests may name besides PUBLIC_URL's (a second name, an internal address). */
    allowedHosts: (env.SPAR_ALLOWED_HOSTS ?? "")
      .split(",")
      .map((name) => name.trim().toLowerCase())
      .filter(Boolean),
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
    practice: {
      maxActiveSessions: env.SPAR_MAX_OPEN_SESSIONS,
      coalesceMs: env.SPAR_STREAM_COALESCE_MS,
      messagesPerSecond: env.SPAR_PRACTICE_MESSAGES_PER_SECOND,
      messageBurst: env.SPAR_PRACTICE_MESSAGE_BURST,
      idleMs: env.SPAR_IDLE_MINUTES * 60_000,
      maxSocketsPerLearner: env.SPAR_MAX_SOCKETS_PER_LEARNER,
    },
    /** Past this event-loop delay new requests and upgrades get 503 with Retry-After; 0 never. */
    // On by default where other processes can take the load (PostgreSQL); the embedded database
    // runs its queries on this event loop, and a lone process has nowhere to send anyone.
    maxEventLoopDelayMs: env.SPAR_MAX_EVENT_LOOP_DELAY_MS ?? (env.DATABASE_URL ? 1_000 : 0),
    scoring: {
      /** Whether this process scores; off, it only queues the sessions that end on it. */
      worker: env.SPAR_SCORING_WORKER === "on",
      /** Scoring keeps retrying a failing provider for this long before it gives up. */
      retryWindowMs: env.SPAR_SCORING_RETRY_MINUTES * 60_000,
      /** Sessions one process scores at once. */
      concurrency: env.SPAR_SCORING_CONCURRENCY,
    },
    /**
     * A deployment others reach: NODE_ENV=production or an https PUBLIC_URL. (SPAR_ENV defaults to
     * production, so a trial on a laptop is production by it; these two are what a real
     * deployment sets.)
     */
    deployed: env.NODE_ENV === "production" || env.PUBLIC_URL?.startsWith("https:") === true,
    /** GET /metrics for Prometheus; with a token, scrapers must send it as a bearer token. */
    metrics: {
      enabled: env.SPAR_METRICS === "on",
      token: env.METRICS_TOKEN ?? null,
      /** Served without a token even when deployed: the operator says the network keeps it private. */
      publicAllowed: env.SPAR_METRICS_PUBLIC === "on",
    },
    sessionPolicy: {
      idleTimeoutMs: env.SESSION_IDLE_MINUTES * 60_000,
      absoluteTimeoutMs: env.SESSION_MAX_HOURS * 3_600_000,
    },
    mail: env.SMTP_URL && env.MAIL_FROM ? { smtpUrl: env.SMTP_URL, from: env.MAIL_FROM } : null,
    /** Shared events between server processes (sign-ins ended); unset means one process. */
    redisUrl: env.REDIS_URL ?? null,
    oidc:
      env.OIDC_ISSUER && env.OIDC_CLIENT_ID && env.OIDC_CLIENT_SECRET
        ? {
            issuer: new URL(env.OIDC_ISSUER),
            clientId: env.OIDC_CLIENT_ID,
            clientSecret: env.OIDC_CLIENT_SECRET,
            /** People with a verified address at these domains are created as learners on first sign-in. */
            allowedDomains: (env.OIDC_ALLOWED_DOMAINS ?? "")
              .split(",")
              .map((domain) => domain.trim().toLowerCase())
              .filter(Boolean),
            providerName: env.OIDC_PROVIDER_NAME ?? "single sign-on",
          }
        : null,
    passwordSignIn: env.SPAR_PASSWORD_SIGN_IN === "on",
    /** Fastify's trustProxy: which proxies' X-Forwarded-For names the client. */
    trustProxy: trustProxySetting(env.SPAR_TRUST_PROXY),
    scimToken: env.SCIM_TOKEN ?? null,
    /** Transcripts older than this many days are erased on a schedule; null keeps them. */
    retentionDays: env.SPAR_RETENTION_DAYS ?? null,
    /** The persona's and the judge's models, each with its own endpoint, or the offline engine. */
    llm: llmConfig(env),
    /** Speech to text and text to speech for voice practice, each an OpenAI-compatible endpoint. */
    speech: speechConfig(env),
    /**
     * Whether a serving process asks each model one small question at start-up (as `spar llm
     * check` does) and shows the outcome in /health. On by default where Spar is deployed; a
     * trial on a laptop runs the command when it wants to know.
     */
    llmProbeAtStart: (env.SPAR_LLM_PROBE ?? (env.NODE_ENV === "production" || env.PUBLIC_URL?.startsWith("https:") === true ? "on" : "off")) === "on",
  }));

function trustProxySetting(value: string): boolean | number | string[] {
  if (value === "off") return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value.split(",").map((part) => part.trim());
}

export type AppConfig = z.infer<typeof EnvSchema>;

// Never echoed back in error messages: they may carry passwords or keys.
const secretSettings = new Set<string>(["DATABASE_URL", ...llmSecretSettings, ...speechSecretSettings, "METRICS_TOKEN", "SMTP_URL", "REDIS_URL", "OIDC_CLIENT_SECRET", "SCIM_TOKEN"]);

export class ConfigError extends Error {}

/**
 * What a serving process refuses and a command (which serves nothing) accepts: a deployment whose
 * /metrics would answer anyone. Throws ConfigError with one line saying what to set.
 */
export function checkServingConfig(config: AppConfig): void {
  const { metrics } = config;
  if (config.deployed && metrics.enabled && metrics.token === null && !metrics.publicAllowed) {
    throw new ConfigError(
      "/metrics would answer anyone (NODE_ENV=production or an https PUBLIC_URL): set METRICS_TOKEN (16+ characters, e.g. from `openssl rand -hex 32`), or SPAR_METRICS=off, or SPAR_METRICS_PUBLIC=on if only your network reaches it.",
    );
  }
}

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
