import { z } from "zod";
import { text } from "./text.ts";

/** Long enough for a paragraph of reasoning, short enough to stay a reason and not a report. */
export const overrideReasonMaxLength = 1_000;
export const turnCommentMaxLength = 2_000;

const Level = z
  .number({ message: "choose a level from 1 to 4" })
  .int({ message: "choose a level from 1 to 4" })
  .min(1, { message: "choose a level from 1 to 4" })
  .max(4, { message: "choose a level from 1 to 4" });

const Author = z.object({ id: z.string(), name: z.string() }).nullable();

/** A manager (or L&D) sets one criterion of a scorecard to another level, and says why. */
export const SetLevelOverrideRequest = z.object({
  level: Level,
  reason: text({ message: "say why the level should change" })
    .trim()
    .min(1, { message: "say why the level should change" })
    .max(overrideReasonMaxLength, { message: `keep the reason under ${overrideReasonMaxLength} characters` }),
});
export type SetLevelOverrideRequest = z.infer<typeof SetLevelOverrideRequest>;

export const LevelOverrideView = z.object({
  id: z.string(),
  scorecardId: z.string(),
  criterionId: z.string(),
  /** What the scorer gave when the override was made. */
  scorerLevel: z.number().int(),
  level: z.number().int(),
  reason: z.string(),
  /** Null once the author's account is gone. */
  by: Author,
  at: z.string(),
  /** The newest override of its criterion: the level that counts. */
  inForce: z.boolean(),
});
export type LevelOverrideView = z.infer<typeof LevelOverrideView>;

export const LevelOverrideHistory = z.object({ overrides: z.array(LevelOverrideView) });
export type LevelOverrideHistory = z.infer<typeof LevelOverrideHistory>;

export const CommentOnTurnRequest = z.object({
  body: text({ message: "write a comment" })
    .trim()
    .min(1, { message: "write a comment" })
    .max(turnCommentMaxLength, { message: `keep the comment under ${turnCommentMaxLength} characters` }),
});
export type CommentOnTurnRequest = z.infer<typeof CommentOnTurnRequest>;

export const TurnCommentView = z.object({
  id: z.string(),
  sessionId: z.string(),
  /** The turn's seq within its session. */
  turn: z.number().int(),
  body: z.string(),
  by: Author,
  at: z.string(),
});
export type TurnCommentView = z.infer<typeof TurnCommentView>;

export const TurnComments = z.object({ comments: z.array(TurnCommentView) });
export type TurnComments = z.infer<typeof TurnComments>;

/** On a scorecard's criterion: the override in force, shown beside the scorer's level. */
export const OverrideInForceView = z.object({
  level: z.number().int().min(1).max(4),
  levelLabel: z.string(),
  reason: z.string(),
  by: Author,
  at: z.string(),
});
export type OverrideInForceView = z.infer<typeof OverrideInForceView>;
