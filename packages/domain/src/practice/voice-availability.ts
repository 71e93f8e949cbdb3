import type { VoiceAvailability } from "@spar/protocol";
import type { Scenario } from "../library/scenario-schema.ts";

/** What the server can do with speech, as its settings say (SPAR_STT_*, SPAR_TTS_*). */
export interface SpeechServices {
  speechToText: boolean;
  textToSpeech: boolean;
  /** Why there is no speech-to-text, in words an administrator can act on; null when there is. */
  unavailable: string | null;
}

/**
 * Whether a session on this scenario can be practised by voice: the scenario allows it and the
 * server can hear the learner (speech-to-text). Without text-to-speech the browser speaks the
 * persona's replies itself.
 */
export function voiceAvailability(scenario: Pick<Scenario, "allow_voice" | "persona">, services: SpeechServices): VoiceAvailability {
  const speech = services.textToSpeech ? "server" : "browser";
  const personaVoice = scenario.persona.voice ? { personaVoice: scenario.persona.voice } : {};
  if (!scenario.allow_voice) return { available: false, reason: "This scenario is practised by text only.", speech, ...personaVoice };
  if (!services.speechToText) {
    return { available: false, reason: services.unavailable ?? "Voice practice is not set up on this server.", speech, ...personaVoice };
  }
  return { available: true, speech, ...personaVoice };
}
