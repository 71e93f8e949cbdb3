import OpenAI from "openai";
import { type LlmObserver, observedFetch } from "./llm-observer.ts";

/** The SDK client both engines use: one endpoint, one retry policy, failures told to the observer. */
export function openAiClient(settings: {
  apiKey: string;
  baseUrl: string | null;
  model: string;
  maxRetries: number;
  timeoutMs: number;
  observer?: LlmObserver;
}): OpenAI {
  return new OpenAI({
    apiKey: settings.apiKey,
    baseURL: settings.baseUrl ?? undefined,
    maxRetries: settings.maxRetries,
    timeout: settings.timeoutMs,
    ...(settings.observer ? { fetch: observedFetch(settings.observer, settings.model) } : {}),
  });
}
