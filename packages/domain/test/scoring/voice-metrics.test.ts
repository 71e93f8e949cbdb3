import { describe, expect, it } from "vitest";
import { countFillers, type TimedTurn, voiceMetrics } from "../../src/scoring/voice-metrics.ts";

const turn = (speaker: TimedTurn["speaker"], text: string, startMs: number, endMs: number, words?: TimedTurn["words"]): TimedTurn => ({ speaker, text, startMs, endMs, ...(words ? { words } : {}) });

describe("voice metrics from a timed transcript", () => {
  it("counts hesitations, and ordinary uses of the same words not at all", () => {
    expect(countFillers("Um, so the, uh, renewal is, like, at risk?")).toBe(3);
    expect(countFillers("I like that plan, and you know the budget better than I do.")).toBe(0);
    expect(countFillers("You know, I mean, it's sort of fine.")).toBe(2);
    expect(countFillers("Ummm... umm, UM.")).toBe(2);
    expect(countFillers("Er, the erosion of trust.")).toBe(1);
    expect(countFillers("we could, basically, start over", [{ phrase: "basically", setOff: true }])).toBe(1);
  });

  it("measures pace, fillers, pauses, talk time, interruptions and latency", () => {
    const metrics = voiceMetrics([
      turn("persona", "You wanted to see me?", 0, 2_000),
      // 13 words in 6 seconds, one filler; replies after 1.5 s; a 2.5 s pause inside.
      turn("learner", "Um, yes. I wanted to talk about the launch and what happened there.", 3_500, 9_500, [
        { text: "Um,", startMs: 3_500, endMs: 3_800 },
        { text: "yes.", startMs: 3_900, endMs: 4_200 },
        { text: "I", startMs: 6_700, endMs: 6_800 },
      ]),
      // The persona cuts in before the learner finished.
      turn("persona", "Honestly? A lot went wrong.", 9_000, 11_000),
      // The learner barges in on the persona.
      turn("learner", "Tell me more about what went wrong for you.", 10_500, 13_500),
      turn("persona", "The vendor was late.", 14_000, 15_000),
      turn("learner", "And then?", 15_500, 16_500),
    ]);
    expect(metrics).toEqual({
      "speaking-pace-wpm": Math.round(24 / (10_000 / 60_000)), // 24 words in 10 s of learner speech
      "fillers-per-minute": 6,
      "longest-pause-seconds": 2.5,
      "learner-talk-time-share": 0.67,
      "learner-interruptions": 1,
      "interrupted-by-persona": 1,
      "response-latency-seconds": 1,
    });
  });

  it("gives zeros, not errors, for a conversation with no learner speech", () => {
    expect(voiceMetrics([turn("persona", "Hello?", 0, 1_000)])).toEqual({
      "speaking-pace-wpm": 0,
      "fillers-per-minute": 0,
      "longest-pause-seconds": 0,
      "learner-talk-time-share": 0,
      "learner-interruptions": 0,
      "interrupted-by-persona": 0,
      "response-latency-seconds": 0,
    });
  });
});
