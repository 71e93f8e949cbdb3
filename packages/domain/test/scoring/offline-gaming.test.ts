import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadLibrary } from "../../src/library/library.ts";
import { conversationMetrics, type ScoredTurn } from "../../src/scoring/conversation-metrics.ts";
import { scoreOffline } from "../../src/scoring/offline-scorer.ts";
import { overallLevel } from "../../src/scoring/scorecard.ts";
import { readYamlTree, repositoryRoot } from "../library/read-files.ts";

// Transcripts written to game the offline scorer, of the kinds a learner who read the rubric
// would try, and a strong one worded unlike the rubric's examples. Written for this test: none
// is in the calibration set, so the scorer was not tuned on them.

const { library } = await loadLibrary(await readYamlTree(path.join(repositoryRoot, "scenarios")));
const rubric = (id: string) => {
  const entry = library.rubrics.get(id);
  if (!entry) throw new Error(`no rubric ${id}`);
  return entry.value;
};

function transcript(...lines: string[]): ScoredTurn[] {
  return lines.map((text, index) => ({ seq: index + 1, speaker: index % 2 === 0 ? "persona" : "learner", text }));
}

function score(rubricId: string, turns: ScoredTurn[]) {
  const criteria = scoreOffline(rubric(rubricId), turns, conversationMetrics(turns));
  return { criteria, overall: overallLevel(rubric(rubricId), criteria), passed: overallLevel(rubric(rubricId), criteria) >= rubric(rubricId).pass_mark };
}

const listening = {
  stuffed: transcript(
    "You lost my booking. I flew in for my sister's wedding and there is no room. Nobody at the desk can tell me anything.",
    "I hear you, that sounds frustrating, I'm sorry, I can imagine. What happened is that our system migrated reservations overnight and a small number of bookings did not carry across, which is a known issue the vendor is fixing, and the desk team followed the standard process by offering the waitlist.",
    "I don't care about your vendor. I need a bed tonight.",
    "I hear that. To be fair, the waitlist is our policy for situations like this, so the team did exactly what they should. Like I said, the migration is the root cause.",
    "So nobody is going to help me.",
    "Let me explain the compensation policy so you understand what you are entitled to under the terms you accepted when you booked through the website.",
    "I'm done. I'll find somewhere else.",
  ),
  contempt: transcript(
    "You lost my booking. I flew in for my sister's wedding and there is no room. Nobody at the desk can tell me anything.",
    "I hear you. Did you actually print the confirmation, or did you just assume it would be fine?",
    "Of course I have the confirmation. It's on my phone.",
    "I understand. Tell me more about why you booked through a discount site for something this important?",
    "Because it was the same hotel and it was cheaper.",
    "That makes sense. Oh well, you get what you pay for. Is there anything else?",
    "Unbelievable.",
  ),
  salad: transcript(
    "You lost my booking. I flew in for my sister's wedding and there is no room. Nobody at the desk can tell me anything.",
    "I hear you, that must be, I can imagine, in your shoes, I'm sorry. Tell me more, go on, what else, take your time.",
    "What? I just told you. I need a room tonight.",
    "What I'm hearing is, is that right, what have I missed, did I get that right, let me check I've understood.",
    "I don't follow. Are you going to find me a room or not?",
    "Sounds really, that must, I'd feel the same, say more, go on.",
    "This is absurd.",
  ),
  emptyQuestions: transcript(
    "You lost my booking. I flew in for my sister's wedding and there is no room. Nobody at the desk can tell me anything.",
    "What else?",
    "What else? I have nowhere to sleep.",
    "Anything else I should know?",
    "That's the whole story.",
    "How can I help you today?",
    "By finding me a room!",
    "Is there anything else?",
    "No.",
  ),
  strongReworded: transcript(
    "You lost my booking. I flew in for my sister's wedding and there is no room. Nobody at the desk can tell me anything.",
    "Arriving for your sister's wedding and finding no room is awful, and being left without answers at the desk makes it worse. I'm sorry.",
    "It is awful. I've been standing here forty minutes. I have the rehearsal dinner at seven.",
    "Let me make sure I have it: you booked months ago, the room isn't here, you've waited forty minutes, and the rehearsal dinner is at seven. Have I got that right?",
    "Yes. And my dress for tomorrow is in the suitcase I can't even put down anywhere.",
    "What matters most to you in the next hour, so the evening still works?",
    "Honestly, somewhere to change and leave my bags. And knowing I'll have a room tonight.",
    "Then here's what I can do: I'll put your bags in our office now and get you a guest room to change in within ten minutes, and I'll confirm a room for tonight before you leave for the dinner. Would that work?",
    "Yes. That works. Thank you for actually listening.",
  ),
};

const condescending = transcript(
  "You lost my booking. I flew in for my sister's wedding and there is no room. Nobody at the desk can tell me anything.",
  "I understand, and with all due respect, it's not rocket science: bookings through third-party sites sometimes don't sync. Tell me more about where you booked.",
  "Excuse me? I booked directly with you, months ago.",
  "I hear you. As I'm sure you know, it's all in the terms you accepted. What else can I help with?",
  "Don't patronise me. I need a room tonight.",
  "That sounds frustrating. You need to relax a little; we'll see what turns up later this evening. Is that right?",
  "Unbelievable.",
);

const lecture = transcript(
  "You asked to see me? If it's about the release notes, I know they were late.",
  "I wanted to talk about that, yes. Specifically, over the last three weeks you've missed the Tuesday handover twice, and I want to understand what's going on from your side. I expect you to have the notes in by Monday noon from now on, and I need you to copy me on every handover. Make sure you update the tracker daily.",
  "Okay. There's been a lot going on, but fine.",
  "That sounds hard, and I can see this matters. Going forward, you will send me a status every Friday, and if it slips again it goes to a formal process. Does that work?",
  "I guess I don't have a choice.",
  "Great. Check in with me on Friday.",
  "Sure.",
);

const discovery = {
  pitch: transcript(
    "Hi. I've got twenty minutes. Your email said you could help with our warehouse picking errors.",
    "Great question! What's driving your biggest challenge right now? Actually, let me show you our platform first, because our solution is best-in-class for picking accuracy and most customers see a big return in the first quarter.",
    "We haven't told you what our problem is yet.",
    "Totally. How much is that costing you per month? Don't worry, I can tell you: our customers typically save thousands of hours a year, and the ROI basically pays for the whole thing within a quarter.",
    "I'm not sure that's our situation.",
    "Who signs off on a decision like this? If it's you, we could skip the whole procurement process and the committee and get you live in four weeks with a discount.",
    "It's not me, and it's not that simple.",
    "Let's get a demo in the calendar for Tuesday. I'll send the invite now.",
    "Send me something in writing. I have to go.",
  ),
};

describe("the offline scorer against transcripts written to game it", () => {
  it.each(Object.entries({ stuffed: listening.stuffed, contempt: listening.contempt, salad: listening.salad, emptyQuestions: listening.emptyQuestions }))(
    "active listening, %s: fails",
    (_kind, turns) => {
      const result = score("active-listening", turns);
      expect(result.passed).toBe(false);
      expect(result.overall).toBeLessThan(2);
    },
  );

  it("condescension worded politely fails, and the persona bristling at it counts", () => {
    const result = score("active-listening", condescending);
    expect(result.passed).toBe(false);
    expect(result.criteria.find((each) => each.criterionId === "acknowledges-feelings")?.level).toBe(1);
  });

  it("a plan handed down in a lecture, dressed in the rubric's phrases, fails", () => {
    const result = score("difficult-conversations", lecture);
    expect(result.passed).toBe(false);
    expect(result.criteria.find((each) => each.criterionId === "stays-curious")?.level).toBeLessThanOrEqual(2);
  });

  it("polite contempt caps the criteria hostility contradicts", () => {
    expect(score("active-listening", listening.contempt).criteria.find((each) => each.criterionId === "acknowledges-feelings")?.level).toBe(1);
    // One sneer in an otherwise strong conversation holds the relationship criteria at 2.
    const sneer = listening.strongReworded.map((turn) => (turn.seq === 6 ? { ...turn, text: `Oh please, it's one dinner. ${turn.text}` } : turn));
    const acknowledgement = score("active-listening", sneer).criteria.find((each) => each.criterionId === "acknowledges-feelings");
    expect(score("active-listening", listening.strongReworded).criteria.find((each) => each.criterionId === "acknowledges-feelings")?.level).toBeGreaterThan(2);
    expect(acknowledgement?.level).toBeLessThanOrEqual(2);
    expect(acknowledgement?.rationale).toMatch(/blame|hostile/);
  });

  it("a pitch stuffed with discovery phrases fails discovery", () => {
    const result = score("sales-discovery", discovery.pitch);
    expect(result.passed).toBe(false);
    for (const criterion of result.criteria) expect(criterion.level).toBeLessThanOrEqual(2);
  });

  it("a strong conversation worded unlike the rubric's examples passes, above every gamed one", () => {
    const strong = score("active-listening", listening.strongReworded);
    expect(strong.passed).toBe(true);
    for (const gamed of [listening.stuffed, listening.contempt, listening.salad, listening.emptyQuestions]) {
      expect(strong.overall).toBeGreaterThan(score("active-listening", gamed).overall);
    }
  });

  it("rewording a sentence the same way does not move a level", () => {
    const reworded = listening.strongReworded.map((turn) =>
      turn.seq === 8 ? { ...turn, text: "Okay, here's my plan: I'll get your bags into our office right now, find you a room to change in within ten minutes, and have tonight's room confirmed before you head to dinner. Does that work for you?" } : turn,
    );
    const before = score("active-listening", listening.strongReworded).criteria.map((each) => each.level);
    const after = score("active-listening", reworded).criteria.map((each) => each.level);
    expect(after).toEqual(before);
  });
});

describe("evidence from the offline scorer", () => {
  it("every quote is a learner's words of four or more, found in the turn it names, with its stance", () => {
    for (const turns of [...Object.values(listening), discovery.pitch]) {
      const rubricId = turns === discovery.pitch ? "sales-discovery" : "active-listening";
      for (const criterion of score(rubricId, turns).criteria) {
        if (criterion.level > 1) expect(criterion.evidence.some((item) => item.stance === "supports")).toBe(true);
        for (const item of criterion.evidence) {
          const turn = turns.find((each) => each.seq === item.turn);
          expect(turn?.speaker).toBe("learner");
          const parts = item.quote.split("…").map((part) => part.trim()).filter(Boolean);
          expect(parts.join(" ").split(/\s+/).length).toBeGreaterThanOrEqual(4);
          for (const part of parts) expect(turn?.text).toContain(part);
        }
      }
    }
  });

  it("cuts a long turn around the sentence that earned the points, with an ellipsis", () => {
    const long = transcript(
      "The rollout slipped again and my team is furious.",
      `${"We moved the release train twice because the vendor certificate expired and the pipeline was blocked for days. ".repeat(3)}I'm sorry, that sounds exhausting for your team.`,
      "It is.",
    );
    const acknowledgement = score("active-listening", long).criteria.find((each) => each.criterionId === "acknowledges-feelings");
    const quote = acknowledgement?.evidence.find((item) => item.stance === "supports")?.quote ?? "";
    expect(quote.startsWith("… ")).toBe(true);
    expect(quote).toContain("that sounds exhausting for your team");
    expect(quote.length).toBeLessThan(120);
  });
});
