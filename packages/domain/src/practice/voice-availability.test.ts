import { describe, expect, it } from "vitest";
import { voiceAvailability } from "./voice-availability.ts";

const scenario = (allow_voice: boolean, voice?: string) => ({ allow_voice, persona: { voice } }) as Parameters<typeof voiceAvailability>[0];
const full = { speechToText: true, textToSpeech: true, unavailable: null };

describe("whether a session can be practised by voice", () => {
  it("is available where the scenario allows it and the server can hear the learner", () => {
    expect(voiceAvailability(scenario(true, "coral"), full)).toEqual({ available: true, speech: "server", personaVoice: "coral" });
  });

  it("leaves the persona's speech to the browser without text-to-speech", () => {
    expect(voiceAvailability(scenario(true), { ...full, textToSpeech: false })).toEqual({ available: true, speech: "browser" });
  });

  it("says why not: a text-only scenario, or no speech-to-text", () => {
    expect(voiceAvailability(scenario(false), full)).toMatchObject({ available: false, reason: "This scenario is practised by text only." });
    expect(voiceAvailability(scenario(true), { speechToText: false, textToSpeech: true, unavailable: "Set SPAR_STT_BASE_URL." })).toMatchObject({
      available: false,
      reason: "Set SPAR_STT_BASE_URL.",
    });
  });
});
