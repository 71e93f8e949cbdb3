import { z } from "zod";

/**
 * A conversation with fewer learner turns than this is not scored (clients say so before the
 * learner ends one). The rule and its reasons live in the domain (scoring/too-short.ts).
 */
export const minLearnerTurnsToScore = 2;

export const Engine = z.enum(["offline", "llm"]);
export type Engine = z.infer<typeof Engine>;

/** Why an interrupted persona turn ended early (see docs/protocol.md). */
export const TurnInterruption = z.enum(["stopped", "barge-in", "token-limit", "stream-lost", "timeout"]);
export type TurnInterruption = z.infer<typeof TurnInterruption>;

/** Interruptions the learner did not cause (the model service cut the reply): it may be asked for again. */
export const providerCuts: readonly TurnInterruption[] = ["token-limit", "stream-lost", "timeout"];
export const cutByProvider = (interruption: TurnInterruption | null | undefined): boolean =>
  interruption != null && providerCuts.includes(interruption);

/**
 * How the persona feels, 0 to 10 each, on scenarios that show it (`show_mood`) and never in an
 * assessment: a training aid, so the learner sees how their words land.
 */
export const PersonaMood = z.object({
  trust: z.number().int().min(0).max(10),
  resistance: z.number().int().min(0).max(10),
});
export type PersonaMood = z.infer<typeof PersonaMood>;

export const TurnView = z.object({
  seq: z.number().int().positive(),
  speaker: z.enum(["learner", "persona"]),
  text: z.string(),
  status: z.enum(["complete", "interrupted"]),
  interruption: TurnInterruption
    .nullable()
    .optional()
    .describe("Why an interrupted persona turn ended early: stopped by the learner, barge-in (the learner spoke over it; the text is what was heard), or cut by the model service (token-limit, stream-lost, timeout), when reply-request asks for a new reply."),
  guarded: z.boolean().optional().describe("The persona began to give away what it keeps to itself; the reply was cut and replaced by this line."),
  acts: z.array(z.string()),
  at: z.string().describe("ISO 8601 time the turn was committed."),
  mood: PersonaMood.optional().describe(
    "On a persona turn, the persona's mood after it; only where the scenario shows mood (never in an assessment).",
  ),
  spoken: z.boolean().optional().describe("The turn was spoken (voice practice), not typed or only read."),
  audio: z
    .boolean()
    .optional()
    .describe("Its audio was kept (SPAR_KEEP_AUDIO): GET /api/practice-sessions/{id}/turns/{seq}/audio plays it, and a manager's playing is audited."),
});
export type TurnView = z.infer<typeof TurnView>;

export const PracticeSessionView = z.object({
  id: z.string(),
  learner: z.object({ id: z.string(), name: z.string() }),
  scenario: z.object({ id: z.string(), version: z.number().int(), title: z.string(), contentHash: z.string() }),
  persona: z.object({ name: z.string() }).describe("Who the learner talked to, as the scenario version the session ran on named them."),
  rubric: z.object({ id: z.string(), version: z.number().int(), contentHash: z.string() }),
  engine: Engine,
  model: z.string().nullable(),
  status: z.enum(["active", "ended"]),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  turns: z.array(TurnView),
});
export type PracticeSessionView = z.infer<typeof PracticeSessionView>;
