import type { VoiceAvailability } from "@spar/protocol";

/**
 * How the persona's replies reach a learner practising by voice: as the server's audio; spoken by
 * the browser's own speech synthesis, where the server has no text-to-speech; or as text only,
 * where neither can speak them (a browser without speech synthesis). Speaking to the persona works
 * in every case: the microphone, the detector and the server's speech-to-text do not need it.
 */
export type ReplySpeech = "server" | "browser" | "text";

/** What the browser's own speech needs of the page (`window`). */
export interface SpeechSynthesisScope {
  speechSynthesis?: unknown;
  SpeechSynthesisUtterance?: unknown;
}

/** Whether this browser can speak text itself: some builds, embedded views and locked-down profiles cannot. */
export function browserCanSpeak(scope: SpeechSynthesisScope): boolean {
  return typeof scope.speechSynthesis === "object" && scope.speechSynthesis !== null && typeof scope.SpeechSynthesisUtterance === "function";
}

export function replySpeech(speech: VoiceAvailability["speech"], scope: SpeechSynthesisScope): ReplySpeech {
  if (speech === "server") return "server";
  return browserCanSpeak(scope) ? "browser" : "text";
}
