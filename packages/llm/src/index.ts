export { OfflinePersonaEngine } from "./offline-persona-engine.ts";
export { contextMessage, correctionMessage, judgeInstructions, transcriptMessage } from "./judge-prompt.ts";
export { defaultJudgeSettings, judgeDeadlineMs, OpenAiJudge, type OpenAiJudgeSettings, selfConsistencyTemperature } from "./openai-judge.ts";
export { defaultPersonaSettings, OpenAiPersonaEngine, type OpenAiPersonaSettings } from "./openai-persona-engine.ts";
export type { LlmCallFailure, LlmCapabilityFallback, LlmObserver, LlmPurpose } from "./llm-observer.ts";
export type { EndpointSettings } from "./openai-client.ts";
export { alternatingMessages, conversationStartLine, type TextMessage } from "./alternating-messages.ts";
export { type Capability, EndpointCapabilities, type EndpointSupport, type LearnedFallback, processCapabilities } from "./endpoint-capabilities.ts";
export {
  defaultAzureApiVersion,
  defaultTokenParameter,
  guessProviderKind,
  isReasoningModel,
  placeholderApiKey,
  type ProviderKind,
  providerKinds,
  type TokenParameter,
} from "./provider-profile.ts";
export {
  type HeardWord,
  OpenAiSpeechToText,
  OpenAiTextToSpeech,
  type SpeechEndpoint,
  speechSampleRate,
  type SpokenAudio,
  type Transcription,
  wavFile,
  wavHeader,
} from "./speech.ts";
export { RealtimeVoice, type RealtimeSettings, realtimeSampleRate } from "./realtime/realtime-voice.ts";
export { realtimeUrl } from "./realtime/realtime-connection.ts";
export { AudioQueue } from "./realtime/audio-queue.ts";
