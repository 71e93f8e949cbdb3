import { describe, expect, it } from "vitest";
import { replySpeech } from "./reply-speech.ts";

const speaking = { speechSynthesis: {}, SpeechSynthesisUtterance: class {} };

describe("how the persona's replies reach the learner", () => {
  it("plays the server's audio where the server speaks, whether or not the browser could", () => {
    expect(replySpeech("server", speaking)).toBe("server");
    expect(replySpeech("server", {})).toBe("server");
  });

  it("has the browser speak them where the server cannot and the browser can", () => {
    expect(replySpeech("browser", speaking)).toBe("browser");
  });

  it("shows them as text only where neither can speak", () => {
    expect(replySpeech("browser", {})).toBe("text");
    expect(replySpeech("browser", { speechSynthesis: undefined, SpeechSynthesisUtterance: speaking.SpeechSynthesisUtterance })).toBe("text");
    expect(replySpeech("browser", { speechSynthesis: null, SpeechSynthesisUtterance: speaking.SpeechSynthesisUtterance })).toBe("text");
    // Synthesis without a way to make an utterance cannot say anything either.
    expect(replySpeech("browser", { speechSynthesis: speaking.speechSynthesis })).toBe("text");
  });
});
