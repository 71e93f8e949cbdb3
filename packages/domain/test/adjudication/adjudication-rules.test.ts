import { overrideReasonMaxLength, turnCommentMaxLength } from "@spar/protocol";
import { describe, expect, it } from "vitest";
import { checkLevelOverride, checkTurnComment } from "../../src/adjudication/adjudication-rules.ts";

describe("checking a level override", () => {
  it("accepts a level on the scale with a reason, trimmed", () => {
    expect(checkLevelOverride({ level: 3, reason: "  She named the feeling twice.  " })).toEqual({ ok: true, value: { level: 3, reason: "She named the feeling twice." } });
  });

  it.each([0, 5, 2.5, Number.NaN, -1])("refuses level %s", (level) => {
    expect(checkLevelOverride({ level, reason: "why" })).toEqual({ ok: false, field: "level", problem: "choose a level from 1 to 4" });
  });

  it("needs a reason that is more than whitespace, and not an essay", () => {
    expect(checkLevelOverride({ level: 3, reason: " \n\t " })).toMatchObject({ ok: false, field: "reason", problem: "say why the level should change" });
    expect(checkLevelOverride({ level: 3, reason: "x".repeat(overrideReasonMaxLength + 1) })).toMatchObject({ ok: false, field: "reason" });
    expect(checkLevelOverride({ level: 3, reason: "x".repeat(overrideReasonMaxLength) }).ok).toBe(true);
  });
});

describe("checking a turn comment", () => {
  it("accepts some words on a turn, trimmed", () => {
    expect(checkTurnComment({ turn: 3, body: " Good pause here. " })).toEqual({ ok: true, value: { turn: 3, body: "Good pause here." } });
  });

  it("refuses an empty or overlong comment and a turn that is not a turn number", () => {
    expect(checkTurnComment({ turn: 3, body: "   " })).toMatchObject({ ok: false, field: "body", problem: "write a comment" });
    expect(checkTurnComment({ turn: 3, body: "x".repeat(turnCommentMaxLength + 1) })).toMatchObject({ ok: false, field: "body" });
    expect(checkTurnComment({ turn: 0, body: "x" })).toMatchObject({ ok: false, field: "turn" });
    expect(checkTurnComment({ turn: 1.5, body: "x" })).toMatchObject({ ok: false, field: "turn" });
  });
});
