import { z } from "zod";

export const Slug = z
  .string()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, { message: "use lower-case words joined by hyphens, e.g. missed-deadline" });

export const Version = z.number().int().positive().describe("Bump when the meaning changes; old sessions keep the version they ran on.");

export const Text = z.string().trim().min(1, { message: "must not be empty" });

/** Phrases matched case-insensitively at word boundaries: "flag" matches "Flag it" but not "flagship". */
export const Phrases = z
  .array(Text)
  .min(1)
  .describe("Phrases, matched case-insensitively as whole words anywhere in the learner's turn.");

export const Level = z.number().int().min(1).max(4);
export const levelKeys = ["1", "2", "3", "4"] as const;
