// The LLM settings: one provider profile per role (the persona, the judge), each falling back to
// OPENAI_API_KEY and OPENAI_BASE_URL, so that a key alone still means OpenAI for both as it always
// did. Read only by env.ts, which owns process.env.
import { defaultAzureApiVersion, guessProviderKind, placeholderApiKey, type ProviderKind, providerKinds, type TokenParameter } from "@spar/llm";
import { z } from "zod";

export const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === "" ? undefined : value))
  .optional();

export const optionalUrl = (example: string) => optionalText.pipe(z.url({ message: `must be a URL, e.g. ${example}` }).optional());
const optionalNumber = (min: number, max: number, example: string) =>
  optionalText.pipe(z.coerce.number<string | undefined>({ message: `must be a number, e.g. ${example}` }).min(min).max(max).optional());
const optionalInteger = (min: number, max: number, example: string) =>
  optionalText.pipe(z.coerce.number<string | undefined>({ message: `must be a whole number, e.g. ${example}` }).int().min(min).max(max).optional());
export const providerKind = optionalText.pipe(z.enum(providerKinds, { message: "must be openai, azure or compatible" }).optional());
const tokenParameter = z.enum(["auto", "max_tokens", "max_completion_tokens"], { message: "must be auto, max_tokens or max_completion_tokens" }).default("auto");

/** The LLM part of the environment schema (env.ts spreads it into its own). */
export const llmEnvironment = {
  OPENAI_API_KEY: optionalText,
  OPENAI_BASE_URL: optionalUrl("http://localhost:11434/v1"),
  AZURE_OPENAI_API_VERSION: optionalText,
  SPAR_PERSONA_PROVIDER: providerKind,
  SPAR_PERSONA_BASE_URL: optionalUrl("http://localhost:8000/v1"),
  SPAR_PERSONA_API_KEY: optionalText,
  SPAR_PERSONA_MODEL: z.string().min(1).default("gpt-4.1-mini"),
  SPAR_PERSONA_AZURE_API_VERSION: optionalText,
  SPAR_PERSONA_TEMPERATURE: optionalNumber(0, 2, "0.8"),
  SPAR_PERSONA_MAX_TOKENS: optionalInteger(16, 100_000, "400"),
  SPAR_PERSONA_TOKEN_PARAMETER: tokenParameter,
  SPAR_JUDGE_PROVIDER: providerKind,
  SPAR_JUDGE_BASE_URL: optionalUrl("https://my-resource.openai.azure.com"),
  SPAR_JUDGE_API_KEY: optionalText,
  SPAR_JUDGE_MODEL: z.string().min(1).default("gpt-4.1"),
  SPAR_JUDGE_AZURE_API_VERSION: optionalText,
  SPAR_JUDGE_TEMPERATURE: optionalNumber(0, 2, "0"),
  SPAR_JUDGE_MAX_TOKENS: optionalInteger(256, 200_000, "4000"),
  SPAR_JUDGE_TOKEN_PARAMETER: tokenParameter,
  SPAR_JUDGE_SAMPLES: z.coerce.number().int().min(1).max(9).default(1),
  SPAR_JUDGE_SEED: z.coerce.number().int().min(0).max(2_147_483_647).default(13),
};

/** The keys that are never echoed back in a configuration error. */
export const llmSecretSettings = ["OPENAI_API_KEY", "SPAR_PERSONA_API_KEY", "SPAR_JUDGE_API_KEY"] as const;

type LlmEnvironment = z.output<z.ZodObject<typeof llmEnvironment>>;

type Role = "PERSONA" | "JUDGE";

/** Where one role's model is and how it is asked. */
export interface ProviderProfile {
  kind: ProviderKind;
  baseUrl: string | null;
  apiKey: string;
  /** For Azure, the deployment name. */
  model: string;
  azureApiVersion: string;
  /** Null: the engine's default (the provider's own for the persona; 0, or 0.7 when sampling, for the judge). */
  temperature: number | null;
  /** Null: no cap is sent. */
  maxTokens: number | null;
  /** Null: chosen from the kind and model (defaultTokenParameter), and switched if refused. */
  tokenParameter: TokenParameter | null;
}

export type LlmConfig =
  | { engine: "offline" }
  | {
      engine: "openai-compatible";
      persona: ProviderProfile;
      judge: ProviderProfile & {
        /** Judge answers per transcript: the median level per criterion is stored, every sample's level with it. */
        samples: number;
        /** Sent with every judge call where the provider takes a seed, so a score can be reproduced. */
        seed: number;
      };
    };

function role(env: LlmEnvironment, name: Role) {
  const explicitKind = env[`SPAR_${name}_PROVIDER`];
  const baseUrl = env[`SPAR_${name}_BASE_URL`] ?? env.OPENAI_BASE_URL ?? null;
  const apiKey = env[`SPAR_${name}_API_KEY`] ?? env.OPENAI_API_KEY;
  const kind = explicitKind ?? guessProviderKind(baseUrl);
  return {
    kind,
    baseUrl,
    apiKey,
    // Asked for: a key, or a provider or base URL of its own. OPENAI_BASE_URL alone does not
    // switch the LLM on, as before profiles existed.
    asked: apiKey !== undefined || explicitKind !== undefined || env[`SPAR_${name}_BASE_URL`] !== undefined,
    // Local servers (Ollama, llama.cpp, vLLM without --api-key) take no key.
    keyless: kind === "compatible" && baseUrl !== null,
  };
}

/** Whether any role asks for a model: without that, Spar runs on its offline engine. */
const llmAsked = (env: LlmEnvironment) => role(env, "PERSONA").asked || role(env, "JUDGE").asked;

/** What is missing for the roles to reach their models, as zod issues naming the setting to set. */
export function llmProblems(env: LlmEnvironment, context: z.RefinementCtx): void {
  if (!llmAsked(env)) return;
  for (const name of ["PERSONA", "JUDGE"] as const) {
    const { kind, baseUrl, apiKey, keyless } = role(env, name);
    const who = name === "PERSONA" ? "persona" : "judge";
    if ((kind === "azure" || kind === "compatible") && baseUrl === null) {
      const example = kind === "azure" ? "https://my-resource.openai.azure.com" : "http://localhost:11434/v1";
      context.addIssue({ code: "custom", path: [`SPAR_${name}_BASE_URL`], message: `is needed for the ${who} with provider ${kind} (or OPENAI_BASE_URL for both roles), e.g. ${example}` });
    } else if (apiKey === undefined && !keyless) {
      context.addIssue({
        code: "custom",
        path: [`SPAR_${name}_API_KEY`],
        message: `is needed: the ${who} model (${kind}${baseUrl ? ` at ${baseUrl}` : ""}) has no key. Set SPAR_${name}_API_KEY, or OPENAI_API_KEY for both roles; a local server that takes no key needs SPAR_${name}_PROVIDER=compatible and SPAR_${name}_BASE_URL`,
      });
    }
  }
}

function profile(env: LlmEnvironment, name: Role): ProviderProfile {
  const { kind, baseUrl, apiKey } = role(env, name);
  const chosen = env[`SPAR_${name}_TOKEN_PARAMETER`];
  return {
    kind,
    baseUrl,
    apiKey: apiKey ?? placeholderApiKey,
    model: env[`SPAR_${name}_MODEL`],
    azureApiVersion: env[`SPAR_${name}_AZURE_API_VERSION`] ?? env.AZURE_OPENAI_API_VERSION ?? defaultAzureApiVersion,
    temperature: env[`SPAR_${name}_TEMPERATURE`] ?? null,
    maxTokens: env[`SPAR_${name}_MAX_TOKENS`] ?? (name === "PERSONA" ? 400 : null),
    tokenParameter: chosen === "auto" ? null : chosen,
  };
}

/** The LLM configuration, once llmProblems found nothing. */
export function llmConfig(env: LlmEnvironment): LlmConfig {
  if (!llmAsked(env)) return { engine: "offline" };
  return {
    engine: "openai-compatible",
    persona: profile(env, "PERSONA"),
    judge: { ...profile(env, "JUDGE"), samples: env.SPAR_JUDGE_SAMPLES, seed: env.SPAR_JUDGE_SEED },
  };
}

/** The settings an engine of @spar/llm takes from a profile. */
export function engineSettings(profile: ProviderProfile) {
  return {
    kind: profile.kind,
    baseUrl: profile.baseUrl,
    apiKey: profile.apiKey,
    model: profile.model,
    azureApiVersion: profile.azureApiVersion,
    ...(profile.temperature === null ? {} : { temperature: profile.temperature }),
    maxTokens: profile.maxTokens,
    ...(profile.tokenParameter === null ? {} : { tokenParameter: profile.tokenParameter }),
  };
}
