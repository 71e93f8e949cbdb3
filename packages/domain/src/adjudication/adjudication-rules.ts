import { overrideReasonMaxLength, turnCommentMaxLength } from "@spar/protocol";
import { isLevel, type Level } from "./effective-level.ts";

export type Checked<Value> = { ok: true; value: Value } | { ok: false; field: string; problem: string };

/**
 * A level override as it may be stored: a level on the rubric's scale and a reason someone else
 * can follow later (the learner reads it, and the programme's drift figures rest on it).
 */
export function checkLevelOverride(input: { level: number; reason: string }): Checked<{ level: Level; reason: string }> {
  if (!Number.isInteger(input.level) || !isLevel(input.level)) return { ok: false, field: "level", problem: "choose a level from 1 to 4" };
  const reason = input.reason.trim();
  if (reason.length === 0) return { ok: false, field: "reason", problem: "say why the level should change" };
  if (reason.length > overrideReasonMaxLength) {
    return { ok: false, field: "reason", problem: `keep the reason under ${overrideReasonMaxLength} characters` };
  }
  return { ok: true, value: { level: input.level, reason } };
}

/** A comment on a transcript turn: some words, not an essay. */
export function checkTurnComment(input: { turn: number; body: string }): Checked<{ turn: number; body: string }> {
  if (!Number.isInteger(input.turn) || input.turn < 1) return { ok: false, field: "turn", problem: "name a turn of the conversation by its number" };
  const body = input.body.trim();
  if (body.length === 0) return { ok: false, field: "body", problem: "write a comment" };
  if (body.length > turnCommentMaxLength) return { ok: false, field: "body", problem: `keep the comment under ${turnCommentMaxLength} characters` };
  return { ok: true, value: { turn: input.turn, body } };
}
