import { describe, expect, it } from "vitest";
import { endsCold, surfacedFacts } from "../../src/conversation/conversation-outcome.ts";
import { conversationMetrics, type ScoredTurn } from "../../src/scoring/conversation-metrics.ts";
import { scoreOffline } from "../../src/scoring/offline-scorer.ts";
import type { Rubric } from "../../src/library/rubric-schema.ts";
import type { ScoringContext } from "../../src/scoring/transcript-scorer.ts";

// A hotel guest whose booking was lost, written for this test (not a library scenario).
const hidden = [
  { id: "wedding-speech", fact: "She is giving the maid-of-honour speech at her sister's wedding tomorrow and has not slept. She shares this once she feels heard." },
  { id: "loyalty-status", fact: "She has stayed at this hotel chain forty nights this year for work and chose it for the wedding because of that. She mentions it if asked what matters to her." },
];
const context: ScoringContext = {
  scenarioTitle: "The lost booking",
  brief: { role: "You are the duty manager at a city hotel.", situation: "A guest's booking has vanished in a system migration.", objective: "Listen, then find a way forward." },
  personaName: "Dana",
  hidden,
};

describe("what the conversation did to the other person", () => {
  it("finds a hidden fact the persona put into words, in their own phrasing", () => {
    const said = ["Honestly? Tomorrow I'm giving the speech at my sister's wedding, maid of honour, and I haven't slept at all."];
    expect(surfacedFacts(said, hidden, `${context.brief.situation} You lost my booking.`)).toEqual(["wedding-speech"]);
  });

  it("does not count words the learner already knew from the brief", () => {
    expect(surfacedFacts(["My booking is gone and your system lost it."], hidden, context.brief.situation)).toEqual([]);
  });

  it.each([
    ["Okay. I think I've heard what you need to say. Can I get back to it now?", true],
    ["Fine, I guess. I've got to run to my next meeting.", true],
    ["I'm going to stop this here. Put whatever you're going to do in an email.", true],
    ["Yes. That works. Thank you for actually listening, it's the first time today.", false],
    ["Deal. That actually helps me too.", false],
  ])("ends guarded: %s → %s", (reply, cold) => {
    expect(endsCold(["It is what it is.", reply])).toBe(cold);
  });
});

describe("the offline scorer with the scenario's hidden facts", () => {
  const rubric: Rubric = {
    id: "listening",
    version: 1,
    title: "Listening",
    competency: "listening",
    description: "Listening.",
    scale: { "1": "Not yet", "2": "Developing", "3": "Proficient", "4": "Role model" },
    pass_mark: 2.5,
    criteria: [
      {
        id: "acknowledges",
        title: "Acknowledges",
        weight: 1,
        description: "Acknowledges feelings.",
        levels: {
          "1": { description: "Ignores it.", sounds_like: "Anyway." },
          "2": { description: "Generic.", sounds_like: "I understand." },
          "3": { description: "Specific.", sounds_like: "That sounds exhausting." },
          "4": { description: "Specific and timely.", sounds_like: "No wonder you're worn out." },
        },
        indicators: { positive: [{ acts: ["acknowledgement"], points: 2 }, { acts: ["open-question"], points: 1 }], negative: [], metrics: [], thresholds: [1, 3, 5] },
      },
    ],
  };
  const turns = (...lines: string[]): ScoredTurn[] => lines.map((text, index) => ({ seq: index + 1, speaker: index % 2 === 0 ? "persona" : "learner", text }));
  const learner = [
    "I understand this is really frustrating, and I'm sorry. What would help most right now?",
    "That sounds exhausting after the day you've had. What else is riding on tonight for you?",
    "I can see why you're upset. How can we make this evening work for you?",
  ];

  it("holds every criterion at 2 when the persona shared nothing they were keeping back and ended guarded", () => {
    const transcript = turns("You lost my booking.", learner[0] ?? "", "A room would help.", learner[1] ?? "", "Nothing. Just a room.", learner[2] ?? "", "Fine, I guess. Can I get back to the queue now?");
    const [result] = scoreOffline(rubric, transcript, conversationMetrics(transcript), context);
    expect(scoreOffline(rubric, transcript, conversationMetrics(transcript))[0]?.level).toBeGreaterThan(2);
    expect(result?.level).toBe(2);
    expect(result?.rationale).toContain("Dana shared nothing they were holding back and ended guarded");
  });

  it("leaves the level alone once the persona opened up", () => {
    const transcript = turns(
      "You lost my booking.",
      learner[0] ?? "",
      "Honestly? Tomorrow I'm giving the speech at my sister's wedding, maid of honour, and I haven't slept.",
      learner[1] ?? "",
      "Everything. I need to sleep and rehearse.",
      learner[2] ?? "",
      "Thank you. That would actually help a lot.",
    );
    const [result] = scoreOffline(rubric, transcript, conversationMetrics(transcript), context);
    expect(result?.level).toBeGreaterThan(2);
  });
});
