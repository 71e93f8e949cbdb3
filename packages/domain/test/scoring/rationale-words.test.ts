import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadLibrary } from "../../src/library/library.ts";
import { conversationMetrics, type ScoredTurn } from "../../src/scoring/conversation-metrics.ts";
import { scoreOffline } from "../../src/scoring/offline-scorer.ts";
import { criterionRationale, describeIndicator, describeMetric } from "../../src/scoring/rationale-words.ts";
import { readYamlTree, repositoryRoot } from "../library/read-files.ts";

const { library } = await loadLibrary(await readYamlTree(path.join(repositoryRoot, "scenarios")));

describe("the offline scorer's reasons in words", () => {
  it("names behaviour and turns, never points or multipliers", () => {
    const turns: ScoredTurn[] = [
      "I was told the renewal would be easy. It is not.",
      "It sounds like this renewal has become harder than you expected. What changed on your side this quarter?",
      "Our usage halved after the reorganisation and the new director wants cuts.",
      "So the reorganisation halved usage, and the new director is looking for cuts. Who else weighs in on the decision, and how much would you need to save?",
      "Finance signs off. Probably twenty percent.",
      "Thank you. I'll send a usage review with two options by Friday, and we can go through it with finance on Monday.",
    ].map((text, index) => ({ seq: index + 1, speaker: index % 2 === 0 ? "persona" : "learner", text }));
    for (const rubric of library.rubrics.values()) {
      for (const result of scoreOffline(rubric.value, turns, conversationMetrics(turns))) {
        expect(result.rationale).not.toMatch(/point\(s\)|×|\d+\.\d|[+−] |[a-z]+-[a-z]+-[a-z]+/);
        expect(result.rationale).toMatch(/^(Shown|Counted against|The conversation had|Held at|No sign)/);
      }
    }
  });

  it("writes each kind of reason as a sentence, in a fixed order", () => {
    expect(
      criterionRationale({
        shown: [{ indicator: { acts: ["acknowledgement", "summary"] }, turns: 2 }],
        against: [{ indicator: { acts: ["advice"], any_words: ["you should", "just", "calm down"] }, turns: 1 }],
        shape: [{ metric: "average-turn-words", value: 28.571 }],
        limits: ["held at level 3: level 4 needs it in more than one turn"],
      }),
    ).toBe(
      "Shown: acknowledging their point or feeling or summarising what was said (2 turns). " +
        "Counted against: telling them what to do, using “you should”, “just”… (1 turn). " +
        "The conversation had an average turn of 29 words. " +
        "Held at level 3: level 4 needs it in more than one turn.",
    );
    expect(criterionRationale({ shown: [], against: [], shape: [], limits: [] })).toBe("No sign of this in the conversation.");
  });

  it("says words and shares as a person would", () => {
    expect(describeIndicator({ any_words: ["budget"] })).toBe("the words “budget”");
    expect(describeMetric("learner-talk-share", 0.4386)).toBe("44% of the words spoken");
    expect(describeMetric("next-step-agreed", 1)).toBe("a next step agreed");
  });
});
