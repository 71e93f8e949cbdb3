export { OfflinePersonaEngine } from "./offline-persona-engine.ts";
export { contextMessage, correctionMessage, judgeInstructions, transcriptMessage } from "./judge-prompt.ts";
export { defaultJudgeSettings, judgeDeadlineMs, OpenAiJudge, type OpenAiJudgeSettings, selfConsistencyTemperature } from "./openai-judge.ts";
export { defaultPersonaSettings, OpenAiPersonaEngine, type OpenAiPersonaSettings } from "./openai-persona-engine.ts";
export type { LlmCallFailure, LlmObserver, LlmPurpose } from "./llm-observer.ts";
