export { OfflinePersonaEngine } from "./offline-persona-engine.ts";
export { defaultJudgeSettings, judgeInstructions, OpenAiJudge, type OpenAiJudgeSettings, transcriptMessage } from "./openai-judge.ts";
export { defaultPersonaSettings, OpenAiPersonaEngine, type OpenAiPersonaSettings } from "./openai-persona-engine.ts";
export type { LlmObserver, LlmPurpose } from "./llm-observer.ts";
