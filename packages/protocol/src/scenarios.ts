import { z } from "zod";

export const ScenarioFamily = z.enum(["sales-call", "difficult-conversation", "feedback-delivery", "coaching"]);
export const Difficulty = z.enum(["introductory", "intermediate", "advanced"]);

/** What a learner may see of a scenario: never the persona's hidden facts or behaviour rules. */
export const ScenarioSummary = z.object({
  id: z.string(),
  version: z.number().int(),
  contentHash: z.string(),
  title: z.string(),
  summary: z.string(),
  family: ScenarioFamily,
  difficulty: Difficulty,
  competency: z.string(),
  estimatedMinutes: z.number().int(),
  persona: z.object({ name: z.string(), role: z.string() }),
  assessment: z.object({ maxAttempts: z.number().int() }).nullable(),
});
export type ScenarioSummary = z.infer<typeof ScenarioSummary>;

export const RubricView = z.object({
  id: z.string(),
  version: z.number().int(),
  contentHash: z.string(),
  title: z.string(),
  competency: z.string(),
  description: z.string(),
  passMark: z.number(),
  scale: z.record(z.string(), z.string()),
  criteria: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      weight: z.number(),
      description: z.string(),
      levels: z.array(z.object({ level: z.number().int(), label: z.string(), description: z.string(), soundsLike: z.string() })),
    }),
  ),
});
export type RubricView = z.infer<typeof RubricView>;

export const ScenarioDetail = ScenarioSummary.extend({
  brief: z.object({ role: z.string(), situation: z.string(), objective: z.string() }),
  openingLine: z.string(),
  maxTurns: z.number().int(),
  maxMinutes: z.number().int(),
  rubric: RubricView,
});
export type ScenarioDetail = z.infer<typeof ScenarioDetail>;

export const LibraryIssueView = z.object({
  severity: z.enum(["error", "warning"]),
  file: z.string(),
  line: z.number().int(),
  column: z.number().int(),
  path: z.string(),
  message: z.string(),
});

export const LibraryStatus = z.object({
  loadedAt: z.string(),
  scenarios: z.number().int(),
  rubrics: z.number().int(),
  examples: z.number().int(),
  /** Problems found by the most recent load; a reload with errors keeps the previous library. */
  issues: z.array(LibraryIssueView),
  /** The library publication this process serves: every process moves to the latest. */
  publication: z.object({ seq: z.number().int(), publishedAt: z.string(), origin: z.enum(["files", "browser", "cli"]) }).nullable(),
});
export type LibraryStatus = z.infer<typeof LibraryStatus>;
