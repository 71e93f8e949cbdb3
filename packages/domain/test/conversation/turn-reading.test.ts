import { describe, expect, it } from "vitest";
import { classifyTurn, readTurn } from "../../src/conversation/dialogue-act-classifier.ts";
import { acceptsProposal, walksOut } from "../../src/conversation/replies.ts";

// Sentences of each kind the classifier must read by meaning, not by keyword. Written for these
// tests, none taken from the scenario library or its calibration examples.

const acts = (text: string) => classifyTurn(text).sort();

describe("negation", () => {
  it.each([
    ["I don't understand why this matters so much to you.", "acknowledgement"],
    ["I'm not sorry I raised it.", "acknowledgement"],
    ["This isn't your fault, and nobody thinks it is.", "blame"],
    ["I can't promise I'll call you back this week.", "proposal"],
    ["We won't be sending anything until legal signs off.", "proposal"],
    ["You don't need to worry about the invoice.", "advice"],
  ])("%s is not %s", (text, act) => {
    expect(classifyTurn(text)).not.toContain(act);
  });
});

describe("questions by form and by intent", () => {
  it.each([
    "Before we get into numbers, what has been hardest about this quarter?",
    "Now that the report is out, how do you feel it went?",
    "Okay, so what would a good outcome look like for your team?",
    "Could you talk me through how the handover works today?",
  ])("open: %s", (text) => {
    expect(acts(text)).toContain("open-question");
  });

  it.each([
    "Why would anybody sign off on something that careless?",
    "What is wrong with you people?",
    "How hard can it be to read an invoice?",
    "Do you even read the emails we send?",
    "Is that really the best answer you have?",
    "Why didn't you just tell someone?",
  ])("contempt worded as a question is blame, not a question: %s", (text) => {
    const reading = readTurn(text);
    expect(reading.acts).toContain("blame");
    expect(reading.acts).not.toContain("open-question");
    expect(reading.hostileSentences).toBeGreaterThan(0);
  });

  it("a question that tells them what to do is advice", () => {
    expect(acts("Why don't you just restart the sync every morning?")).toContain("advice");
    expect(acts("Why don't you just restart the sync every morning?")).not.toContain("open-question");
  });

  it("empty questions say nothing about the other person's situation", () => {
    expect(readTurn("Anything else?").emptyQuestions).toBe(1);
    expect(readTurn("Okay. What else?").emptyQuestions).toBe(1);
    expect(readTurn("What made the March invoice different from February's?").emptyQuestions).toBe(0);
  });
});

describe("proposals and commitments in their usual forms", () => {
  it.each([
    "Would Monday or Tuesday suit you better?",
    "Does 2pm on Thursday work for you?",
    "Here's what I can do: I'll email you the revised quote tonight.",
    "I'll ring you on Friday morning with an update.",
    "Shall we pick this up next week with your finance lead?",
    "How about we start with a two-week pilot on one site?",
    "Why don't we meet again once the numbers are in?",
  ])("%s", (text) => {
    expect(acts(text)).toContain("proposal");
  });
});

describe("hostility, sarcasm and reported speech", () => {
  it.each([
    "Oh great, another excuse.",
    "I hear you, but frankly you're overreacting.",
    "Thanks a lot for making my week harder.",
    "You clearly didn't bother to check the numbers.",
    "Even an intern would have caught that.",
    "Love that you went straight to blaming the tools. Very you.",
  ])("hostile: %s", (text) => {
    expect(readTurn(text).hostileSentences).toBeGreaterThan(0);
    expect(acts(text)).not.toContain("acknowledgement");
  });

  it.each([
    "I understand this has been really frustrating.",
    "That sounds exhausting, especially with the audit on top.",
    "You wrote 'this is lazy work' on her pull request, and I want to talk about that.",
    "I can see how the delay put you in a difficult spot with your board.",
  ])("not hostile: %s", (text) => {
    expect(readTurn(text).hostileSentences).toBe(0);
  });
});

describe("the persona's answer to a proposal", () => {
  it.each([
    ["Thank you for that. Thursday works for me.", true],
    ["Honestly? Fine, let's do it.", true],
    ["That's more than I expected. Send it over and I'll read it tonight.", true],
    ["No. I don't think that's going to help.", false],
    ["I'm done here. Have your manager call me.", false],
    ["Okay. And?", false],
    ["Yes, but only if it's in writing first.", false],
    ["I don't think another call fixes anything. Put something in the diary if you want.", false],
  ])("%s → %s", (reply, accepted) => {
    expect(acceptsProposal(reply)).toBe(accepted);
  });

  it("a walk-out is a walk-out however polite", () => {
    expect(walksOut("Thank you, but I'm going to stop here. Please have someone more senior call me.")).toBe(true);
    expect(acceptsProposal("Thank you, but I'm going to stop here. Please have someone more senior call me.")).toBe(false);
  });
});
