import { describe, expect, it } from "vitest";
import type { LevelOverrideRecord, OverrideFacts } from "../../src/adjudication/adjudication-store.ts";
import { decideComment, decideOverride, withInForce } from "../../src/adjudication/score-adjudication.ts";
import { library } from "./rubric-fixture.ts";

const facts = (changes: Partial<OverrideFacts> = {}): OverrideFacts => ({
  scorecardId: "card-1",
  sessionId: "session-1",
  learnerId: "ana",
  actor: { id: "mia", role: "manager" },
  managersOfLearner: ["mia"],
  scorer: "offline",
  rubric: { contentHash: "hash-listening", source: "" },
  newest: true,
  criteria: [
    { criterionId: "reflects-feelings", competency: "active-listening", scorerLevel: 2, overrides: [] },
    { criterionId: "asks-open-questions", competency: "active-listening", scorerLevel: 3, overrides: [] },
  ],
  ...changes,
});
const wanted = { criterionId: "reflects-feelings", level: 4 as const, reason: "Named the frustration twice." };

describe("deciding a level override", () => {
  it("lets the learner's manager set another level, audited, and keeps the session's score in brief in step", () => {
    const decision = decideOverride(facts(), wanted, library);
    expect(decision).toEqual({
      ok: true,
      override: { criterionId: "reflects-feelings", seq: 1, scorerLevel: 2, level: 4, reason: "Named the frustration twice." },
      latestScore: {
        overall: 3.67,
        passed: true,
        scorer: "offline",
        criteria: [
          { competency: "active-listening", level: 4 },
          { competency: "active-listening", level: 3 },
        ],
      },
      audit: {
        actorId: "mia",
        action: "score.overridden",
        subjectUserId: "ana",
        resourceType: "scorecard",
        resourceId: "card-1",
        details: { criterionId: "reflects-feelings", from: 2, to: 4, scorerLevel: 2 },
      },
    });
  });

  it("lets an L&D admin adjudicate too", () => {
    expect(decideOverride(facts({ actor: { id: "lee", role: "ld_admin" } }), wanted, library).ok).toBe(true);
  });

  it("refuses the learner themselves, another team's manager, a learner, and an actor whose account is gone", () => {
    for (const actor of [{ id: "ana", role: "learner" as const }, { id: "raj", role: "manager" as const }, { id: "ben", role: "learner" as const }, null]) {
      expect(decideOverride(facts({ actor }), wanted, library), JSON.stringify(actor)).toEqual({ ok: false, reason: "forbidden" });
    }
    // A manager of their own team is still not their own adjudicator.
    expect(decideOverride(facts({ actor: { id: "ana", role: "manager" }, managersOfLearner: ["ana"] }), wanted, library)).toEqual({ ok: false, reason: "forbidden" });
  });

  it("refuses a criterion the scorecard does not have, and a level that is already the one in force", () => {
    expect(decideOverride(facts(), { ...wanted, criterionId: "not-there" }, library)).toEqual({ ok: false, reason: "criterion-not-found" });
    expect(decideOverride(facts(), { ...wanted, level: 2 }, library)).toEqual({ ok: false, reason: "unchanged" });
  });

  it("numbers a new override after the ones already made, and compares with the level they left", () => {
    const earlier = facts({
      criteria: [
        { criterionId: "reflects-feelings", competency: "active-listening", scorerLevel: 2, overrides: [{ seq: 1, level: 3 }, { seq: 2, level: 4 }] },
        { criterionId: "asks-open-questions", competency: "active-listening", scorerLevel: 3, overrides: [] },
      ],
    });
    expect(decideOverride(earlier, wanted, library)).toEqual({ ok: false, reason: "unchanged" });
    const back = decideOverride(earlier, { ...wanted, level: 2 }, library);
    expect(back).toMatchObject({ ok: true, override: { seq: 3, level: 2, scorerLevel: 2 }, latestScore: { overall: 2.33, passed: false } });
    expect(back.ok && back.audit.details).toEqual({ criterionId: "reflects-feelings", from: 4, to: 2, scorerLevel: 2 });
  });

  it("leaves the session's score in brief alone when the scorecard is an older one (a rescore replaced it)", () => {
    expect(decideOverride(facts({ newest: false }), wanted, library)).toMatchObject({ ok: true, latestScore: null });
  });
});

describe("deciding a comment on a turn", () => {
  const commentFacts = { sessionId: "session-1", learnerId: "ana", actor: { id: "mia", role: "manager" as const }, managersOfLearner: ["mia"], turnExists: true };

  it("lets the learner's manager comment, audited", () => {
    expect(decideComment(commentFacts, { turn: 3, body: "Good pause." })).toEqual({
      ok: true,
      comment: { turn: 3, body: "Good pause." },
      audit: { actorId: "mia", action: "turn.commented", subjectUserId: "ana", resourceType: "practice-session", resourceId: "session-1", details: { turn: 3 } },
    });
  });

  it("refuses L&D (who never read transcripts), the learner, other managers, and a turn that is not there", () => {
    for (const actor of [{ id: "lee", role: "ld_admin" as const }, { id: "ana", role: "learner" as const }, { id: "raj", role: "manager" as const }]) {
      expect(decideComment({ ...commentFacts, actor }, { turn: 3, body: "x" })).toEqual({ ok: false, reason: "forbidden" });
    }
    expect(decideComment({ ...commentFacts, turnExists: false }, { turn: 99, body: "x" })).toEqual({ ok: false, reason: "turn-not-found" });
  });
});

describe("an override history", () => {
  const record = (criterionId: string, seq: number, level: number): LevelOverrideRecord => ({
    id: `${criterionId}-${seq}`,
    scorecardId: "card-1",
    criterionId,
    seq,
    scorerLevel: 2,
    level,
    reason: "because",
    author: null,
    createdAt: new Date("2026-03-02T09:00:00Z"),
  });

  it("marks the newest override of each criterion as the one in force", () => {
    const marked = withInForce([record("a", 1, 3), record("b", 1, 4), record("a", 2, 1)]);
    expect(marked.map((each) => [each.id, each.inForce])).toEqual([
      ["a-1", false],
      ["b-1", true],
      ["a-2", true],
    ]);
  });
});
