import { describe, expect, it } from "vitest";
import { conversationMetrics, type ScoredTurn } from "../../src/scoring/conversation-metrics.ts";

const transcript = (...turns: [ScoredTurn["speaker"], string, ScoredTurn["status"]?][]): ScoredTurn[] =>
  turns.map(([speaker, text, status], index) => ({ seq: index + 1, speaker, text, ...(status ? { status } : {}) }));

describe("conversation metrics", () => {
  const listening = transcript(
    ["persona", "You wanted to see me?"],
    ["learner", "I did. How have the last few weeks been for you?"],
    ["persona", "Busy. The dashboard keeps changing."],
    ["learner", "That sounds frustrating. What would help? Is it the merch team?"],
    ["persona", "Mostly, yes."],
    ["learner", "Let's meet on Friday to plan the next release together."],
    ["persona", "Okay, that works for me."],
  );

  it("counts talk share, questions and open questions", () => {
    const metrics = conversationMetrics(listening);
    // learner words: 11 + 11 + 10 = 32; persona words: 5 + 5 + 2 + 5 = 17; 32 / 49
    expect(metrics["learner-talk-share"]).toBe(0.65);
    expect(metrics["questions-asked"]).toBe(3);
    expect(metrics["open-question-share"]).toBe(0.67);
    expect(metrics["longest-monologue-words"]).toBe(11);
    expect(metrics["average-turn-words"]).toBe(10.67);
  });

  it("knows whether a next step was agreed", () => {
    expect(conversationMetrics(listening)["next-step-agreed"]).toBe(1);
    const grudging = transcript(["persona", "Hi."], ["learner", "Let's meet on Friday."], ["persona", "Okay, but I don't think that fixes anything."]);
    expect(conversationMetrics(grudging)["next-step-agreed"]).toBe(0);
    const declined = transcript(["persona", "Hi."], ["learner", "Let's meet on Friday."], ["persona", "No, I'm not doing another meeting."]);
    expect(conversationMetrics(declined)["next-step-agreed"]).toBe(0);
    const unproposed = transcript(["persona", "Hi."], ["learner", "The numbers are down."], ["persona", "Okay."]);
    expect(conversationMetrics(unproposed)["next-step-agreed"]).toBe(0);
  });

  it("checks that advice and blame come after an acknowledgement", () => {
    const adviceFirst = transcript(["persona", "Hi."], ["learner", "You should set reminders."], ["persona", "Hm."], ["learner", "I understand it's hard."]);
    expect(conversationMetrics(adviceFirst)["acknowledged-before-advice"]).toBe(0);
    const acknowledgedFirst = transcript(["persona", "Hi."], ["learner", "I understand it's hard."], ["persona", "Hm."], ["learner", "You should set reminders."]);
    expect(conversationMetrics(acknowledgedFirst)["acknowledged-before-advice"]).toBe(1);
  });

  it("counts the persona replies the learner cut off", () => {
    const interrupted = transcript(["persona", "Hi."], ["learner", "Go on."], ["persona", "Well, the thing is", "interrupted"], ["learner", "Sorry."]);
    expect(conversationMetrics(interrupted).interruptions).toBe(1);
  });
});
