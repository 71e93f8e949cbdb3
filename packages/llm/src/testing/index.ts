export { faithfulJudgeAnswer, judgedCriteria, judgedTranscript } from "./faithful-judge.ts";
export {
  type ChatRequest,
  epochNow,
  type FakeOpenAiCounts,
  type FakeOpenAiOptions,
  FakeOpenAiServer,
  type FakeStep,
  fakeTokens,
  type ProviderStamp,
  type RequestArrival,
  type TokenEmission,
} from "./fake-openai-server.ts";
export type { AudioRequest, FakeAudioOptions } from "./fake-audio.ts";
export type { FakeRealtimeOptions, RealtimeConnectionRecord, RealtimeResponseRecord } from "./fake-realtime.ts";
