import type { PersonaEngine } from "@spar/domain";
import { defaultPersonaSettings, type LlmObserver, OfflinePersonaEngine, OpenAiPersonaEngine } from "@spar/llm";
import type { AppConfig } from "./env.ts";
import { engineSettings } from "./llm-settings.ts";

/** The offline engine when no LLM is configured, otherwise the persona's model, observed by the metrics. */
export function createPersonaEngine(config: AppConfig, observer?: LlmObserver): PersonaEngine {
  if (config.llm.engine === "offline") return new OfflinePersonaEngine();
  return new OpenAiPersonaEngine({ ...defaultPersonaSettings, ...engineSettings(config.llm.persona), observer });
}
