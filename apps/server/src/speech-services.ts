import type { TurnAudioStore } from "@spar/domain";
import { OpenAiSpeechToText, OpenAiTextToSpeech } from "@spar/llm";
import type { PracticeVoiceOptions } from "./routes/ws/practice-socket.ts";
import type { SpeechConfig } from "./speech-settings.ts";

/** A turn's transcription, or a sentence's first audio, that takes longer than this has failed. */
const speechTimeoutMs = 20_000;

/** Voice practice's speech clients, from the settings (docs/llm-providers.md). */
export function speechServices(speech: SpeechConfig, turnAudio: TurnAudioStore, onStage?: PracticeVoiceOptions["onStage"]): PracticeVoiceOptions {
  return {
    services: { speechToText: speech.stt !== null, textToSpeech: speech.tts !== null, unavailable: speech.unavailable },
    speechToText: speech.stt ? new OpenAiSpeechToText({ ...speech.stt, timeoutMs: speechTimeoutMs }) : null,
    textToSpeech: speech.tts ? new OpenAiTextToSpeech({ ...speech.tts, timeoutMs: speechTimeoutMs }) : null,
    interimMs: speech.interimMs,
    leadMs: speech.leadMs,
    defaultVoice: speech.tts?.voice ?? "alloy",
    turnAudio: speech.keepAudio ? turnAudio : null,
    ...(onStage ? { onStage } : {}),
  };
}
