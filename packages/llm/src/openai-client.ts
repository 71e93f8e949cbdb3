import OpenAI, { AzureOpenAI } from "openai";
import { type LlmObserver, observedFetch } from "./llm-observer.ts";
import { nestingErrorBodies } from "./nested-error-body.ts";
import { defaultAzureApiVersion, guessProviderKind, type ProviderKind } from "./provider-profile.ts";

/** Where one role's model lives and how to sign in to it. */
export interface EndpointSettings {
  apiKey: string;
  /** Null for api.openai.com. For Azure, the resource's endpoint (https://name.openai.azure.com). */
  baseUrl: string | null;
  /** The model name; for Azure, the deployment name. */
  model: string;
  /** Guessed from the base URL when left out (see guessProviderKind). */
  kind?: ProviderKind;
  /** Azure only: the api-version query parameter. */
  azureApiVersion?: string;
}

/** The SDK client both engines use: one endpoint, one retry policy, failures told to the observer. */
export function openAiClient(settings: EndpointSettings & { maxRetries: number; timeoutMs: number; observer?: LlmObserver }): OpenAI {
  const common = {
    apiKey: settings.apiKey,
    maxRetries: settings.maxRetries,
    timeout: settings.timeoutMs,
    fetch: nestingErrorBodies(settings.observer ? observedFetch(settings.observer, settings.model) : fetch),
  };
  if ((settings.kind ?? guessProviderKind(settings.baseUrl)) === "azure") {
    // The SDK's Azure client puts the deployment in the path, the api-version in the query and the
    // key in an `api-key` header. A bare resource URL gets the /openai its API lives under; a URL
    // with a path (a gateway, or …/openai already) is used as given. The base URL is always
    // passed, never the SDK's `endpoint`: left out, the SDK would read OPENAI_BASE_URL itself, and
    // refuse the pair.
    const url = (settings.baseUrl ?? "").replace(/\/+$/, "");
    const bare = /^https?:\/\/[^/]+$/.test(url);
    return new AzureOpenAI({
      ...common,
      baseURL: bare ? `${url}/openai` : url,
      deployment: settings.model,
      apiVersion: settings.azureApiVersion ?? defaultAzureApiVersion,
    });
  }
  // Always given, so the SDK never falls back on reading OPENAI_BASE_URL from the environment itself.
  return new OpenAI({ ...common, baseURL: settings.baseUrl ?? "https://api.openai.com/v1" });
}
