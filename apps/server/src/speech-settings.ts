// The speech settings: where speech to text and text to speech run, each an OpenAI-compatible
// audio endpoint of its own (OpenAI, Azure, speaches, LocalAI, Kokoro-FastAPI, vLLM), falling
// back to OPENAI_API_KEY and OPENAI_BASE_URL like the persona and the judge. Read only by env.ts.
import { defaultAzureApiVersion, guessProviderKind, placeholderApiKey, type ProviderKind } from "@spar/llm";
import { z } from "zod";
import { optionalText, optionalUrl, providerKind } from "./llm-settings.ts";

/** The speech part of the environment schema (env.ts spreads it into its own). */
export const speechEnvironment = {
  SPAR_STT_PROVIDER: providerKind,
  SPAR_STT_BASE_URL: optionalUrl("http://localhost:8000/v1"),
  SPAR_STT_API_KEY: optionalText,
  SPAR_STT_MODEL: z.string().min(1).default("gpt-4o-mini-transcribe"),
  SPAR_STT_AZURE_API_VERSION: optionalText,
  SPAR_TTS_PROVIDER: providerKind,
  SPAR_TTS_BASE_URL: optionalUrl("http://localhost:8880/v1"),
  SPAR_TTS_API_KEY: optionalText,
  SPAR_TTS_MODEL: z.string().min(1).default("gpt-4o-mini-tts"),
  SPAR_TTS_AZURE_API_VERSION: optionalText,
  SPAR_TTS_VOICE: z.string().min(1).default("alloy"),
  /** How often the learner's words so far are transcribed while they speak; 0 turns it off. */
  SPAR_STT_INTERIM_MS: z.coerce.number().int().min(0).max(60_000).default(1_500),
  /** How far ahead of playing the persona's speech is sent to the learner. */
  SPAR_TTS_LEAD_MS: z.coerce.number().int().min(200).max(600_000).default(1_500),
  /** Keep spoken turns' audio for managers to play (off by default: the transcript is the record). */
  SPAR_KEEP_AUDIO: z.enum(["on", "off"]).default("off"),
  /**
   * How the persona speaks: `cascade` (speech to text, the persona's LLM, text to speech) or
   * `realtime` (a speech-to-speech model behind the Realtime API, proxied by the server).
   */
  SPAR_VOICE_ENGINE: z.enum(["cascade", "realtime"]).default("cascade"),
  SPAR_REALTIME_BASE_URL: optionalUrl("https://api.openai.com/v1"),
  SPAR_REALTIME_API_KEY: optionalText,
  SPAR_REALTIME_MODEL: z.string().min(1).default("gpt-realtime"),
  /** The model the Realtime session transcribes the learner with (the turn is stored as its words). */
  SPAR_REALTIME_TRANSCRIBE_MODEL: z.string().min(1).default("gpt-4o-mini-transcribe"),
  SPAR_REALTIME_VOICE: z.string().min(1).default("marin"),
};

export const speechSecretSettings = ["SPAR_STT_API_KEY", "SPAR_TTS_API_KEY", "SPAR_REALTIME_API_KEY"] as const;

type SpeechEnvironment = z.output<z.ZodObject<typeof speechEnvironment>> & { OPENAI_API_KEY?: string; OPENAI_BASE_URL?: string; AZURE_OPENAI_API_VERSION?: string };

export interface SpeechEndpointProfile {
  baseUrl: string | null;
  apiKey: string;
  /** For Azure, the deployment. */
  model: string;
  /** Where set or guessed as Azure OpenAI (its deployment URLs, `api-key` header and api-version), or set otherwise. */
  kind?: ProviderKind;
  /** Azure only. */
  azureApiVersion?: string;
}

/** The Realtime endpoint, with the model that transcribes the learner and the default voice. */
export interface RealtimeProfile extends SpeechEndpointProfile {
  transcriptionModel: string;
  voice: string;
}

export interface SpeechConfig {
  /** Set (SPAR_VOICE_ENGINE=realtime, with an endpoint): a speech-to-speech model plays the persona in voice practice. */
  realtime: RealtimeProfile | null;
  /** Null: voice practice is unavailable, for the reason in `unavailable`. */
  stt: SpeechEndpointProfile | null;
  /** Null: the browser's own speech synthesis speaks the persona's replies. */
  tts: (SpeechEndpointProfile & { voice: string }) | null;
  /** Why a learner cannot practise by voice, in words an admin can act on; null when they can. */
  unavailable: string | null;
  /** How often the words so far are sent while the learner speaks; 0 for never. */
  interimMs: number;
  /** Spoken turns' audio is kept (SPAR_KEEP_AUDIO=on). */
  keepAudio: boolean;
  /** How far ahead of playing the persona's speech is sent. */
  leadMs: number;
}

/**
 * An endpoint is configured by a base URL of its own (a self-hosted server, which may take no
 * key) or by a key for OpenAI (its own, or OPENAI_API_KEY with OPENAI_BASE_URL if set).
 */
function endpoint(env: SpeechEnvironment, role: "STT" | "TTS" | "REALTIME"): SpeechEndpointProfile | null {
  const ownUrl = env[`SPAR_${role}_BASE_URL`];
  const key = env[`SPAR_${role}_API_KEY`] ?? env.OPENAI_API_KEY;
  if (ownUrl === undefined && key === undefined) return null;
  const baseUrl = ownUrl ?? env.OPENAI_BASE_URL ?? null;
  const profile = { baseUrl, apiKey: key ?? placeholderApiKey, model: env[`SPAR_${role}_MODEL`] };
  if (role === "REALTIME") return profile;
  // As for the persona and the judge: guessed from the URL unless set.
  const explicit = env[`SPAR_${role}_PROVIDER`];
  if ((explicit ?? guessProviderKind(baseUrl)) === "azure") {
    return { ...profile, kind: "azure", azureApiVersion: env[`SPAR_${role}_AZURE_API_VERSION`] ?? env.AZURE_OPENAI_API_VERSION ?? defaultAzureApiVersion };
  }
  return explicit ? { ...profile, kind: explicit } : profile;
}

/** What is missing for the speech endpoints to be reached, as zod issues naming the setting to set. */
export function speechProblems(env: SpeechEnvironment, context: z.RefinementCtx): void {
  for (const role of ["STT", "TTS"] as const) {
    if (env[`SPAR_${role}_PROVIDER`] === "azure" && (env[`SPAR_${role}_BASE_URL`] ?? env.OPENAI_BASE_URL) === undefined) {
      context.addIssue({ code: "custom", path: [`SPAR_${role}_BASE_URL`], message: "is needed with provider azure: the resource's endpoint, e.g. https://my-resource.openai.azure.com" });
    }
  }
  const realtimeUrl = env.SPAR_REALTIME_BASE_URL ?? env.OPENAI_BASE_URL ?? null;
  if (env.SPAR_VOICE_ENGINE === "realtime" && guessProviderKind(realtimeUrl) === "azure") {
    context.addIssue({
      code: "custom",
      path: ["SPAR_REALTIME_BASE_URL"],
      message: "is an Azure OpenAI resource, which the Realtime engine does not run on yet: use SPAR_VOICE_ENGINE=cascade there (speech to text and text to speech run on Azure), or an OpenAI or self-hosted Realtime endpoint",
    });
  }
}

export function speechConfig(env: SpeechEnvironment): SpeechConfig {
  const stt = endpoint(env, "STT");
  const tts = endpoint(env, "TTS");
  const realtimeEndpoint = env.SPAR_VOICE_ENGINE === "realtime" ? endpoint(env, "REALTIME") : null;
  const realtime = realtimeEndpoint ? { ...realtimeEndpoint, transcriptionModel: env.SPAR_REALTIME_TRANSCRIBE_MODEL, voice: env.SPAR_REALTIME_VOICE } : null;
  const unavailable =
    env.SPAR_VOICE_ENGINE === "realtime"
      ? realtime
        ? null
        : "Voice practice is set to the Realtime engine (SPAR_VOICE_ENGINE=realtime), which needs an endpoint: an administrator sets SPAR_REALTIME_BASE_URL or an OpenAI key."
      : stt
        ? null
        : "Voice practice needs a speech-to-text service: an administrator sets SPAR_STT_BASE_URL (a self-hosted server) or an OpenAI key.";
  return {
    realtime,
    stt,
    tts: tts ? { ...tts, voice: env.SPAR_TTS_VOICE } : null,
    unavailable,
    interimMs: env.SPAR_STT_INTERIM_MS,
    keepAudio: env.SPAR_KEEP_AUDIO === "on",
    leadMs: env.SPAR_TTS_LEAD_MS,
  };
}
