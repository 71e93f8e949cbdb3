export { OfflinePersonaEngine } from "./offline-persona-engine.ts";
export { defaultPersonaSettings, OpenAiPersonaEngine, type OpenAiPersonaSettings } from "./openai-persona-engine.ts";
