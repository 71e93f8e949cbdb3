import type { TurnAudioStore } from "@spar/domain";
import { defaultPersonaSettings, OpenAiSpeechToText, OpenAiTextToSpeech, RealtimeVoice } from "@spar/llm";
import type { PracticeVoiceOptions } from "./routes/ws/practice-socket.ts";
import type { SpeechConfig } from "./speech-settings.ts";

/** A turn's transcription, or a sentence's first audio, that takes longer than this has failed. */
const speechTimeoutMs = 20_000;

/** Voice practice's speech clients, from the settings (docs/llm-providers.md). */
export function speechServices(speech: SpeechConfig, turnAudio: TurnAudioStore, onStage?: PracticeVoiceOptions["onStage"]): PracticeVoiceOptions {
  const realtime = speech.realtime;
  if (realtime) {
    return {
      // The Realtime model hears the learner and speaks the persona itself.
      services: { speechToText: true, textToSpeech: true, unavailable: null },
      speechToText: null,
      textToSpeech: null,
      // An STT endpoint beside it gives the learner their words while they speak.
      interimSpeechToText: speech.stt ? new OpenAiSpeechToText({ ...speech.stt, timeoutMs: speechTimeoutMs }) : null,
      realtime: () =>
        new RealtimeVoice({
          ...realtime,
          connectTimeoutMs: 10_000,
          turnDeadlineMs: defaultPersonaSettings.turnDeadlineMs,
          stallMs: defaultPersonaSettings.stallMs,
          transcriptionTimeoutMs: speechTimeoutMs,
          promptBudgetTokens: defaultPersonaSettings.promptBudgetTokens,
          maxTokens: defaultPersonaSettings.maxTokens,
        }),
      interimMs: speech.interimMs,
      leadMs: speech.leadMs,
      defaultVoice: realtime.voice,
      turnAudio: speech.keepAudio ? turnAudio : null,
      ...(onStage ? { onStage } : {}),
    };
  }
  return {
    services: { speechToText: speech.stt !== null, textToSpeech: speech.tts !== null, unavailable: speech.unavailable },
    speechToText: speech.stt ? new OpenAiSpeechToText({ ...speech.stt, timeoutMs: speechTimeoutMs }) : null,
    textToSpeech: speech.tts ? new OpenAiTextToSpeech({ ...speech.tts, timeoutMs: speechTimeoutMs }) : null,
    realtime: null,
    interimMs: speech.interimMs,
    leadMs: speech.leadMs,
    defaultVoice: speech.tts?.voice ?? "alloy",
    turnAudio: speech.keepAudio ? turnAudio : null,
    ...(onStage ? { onStage } : {}),
  };
}
