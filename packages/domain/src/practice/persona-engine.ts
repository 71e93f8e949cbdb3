import type { Scenario } from "../library/scenario-schema.ts";
import type { PersonaMove } from "../conversation/offline-persona.ts";
import type { PersonaState } from "../conversation/persona-state.ts";

export interface TranscriptTurn {
  seq: number;
  speaker: "learner" | "persona";
  text: string;
}

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  cachedTokens: number;
}

export interface PersonaReplyRequest {
  scenario: Scenario;
  /** The persona's state before this reply. */
  state: PersonaState;
  /** What the scenario's rules say should happen now; the offline engine says its line. */
  move: PersonaMove;
  /** Every committed turn so far, the learner's latest last. */
  transcript: readonly TranscriptTurn[];
}

export type PersonaReplyResult =
  | { ok: true; text: string; usage: TokenUsage | null; interrupted: boolean }
  | { ok: false; code: "unavailable" | "timeout"; message: string };

/** Plays the persona: the offline engine, or an LLM behind an OpenAI-compatible API. */
export interface PersonaEngine {
  readonly kind: "offline" | "llm";
  readonly model: string | null;
  /** Streams the reply through `onDelta`; a fired `signal` stops it and returns what was said. */
  reply(request: PersonaReplyRequest, options: { signal: AbortSignal; onDelta: (text: string) => void }): Promise<PersonaReplyResult>;
}
