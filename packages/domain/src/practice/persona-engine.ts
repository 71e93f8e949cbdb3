import { cutByProvider, providerCuts, type TurnInterruption } from "@spar/protocol";
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

/**
 * Why a reply ended before the persona finished it: `stopped` by the learner's interrupt (or the
 * server shutting down), or cut by the provider: its token limit (`finish_reason: length`), a
 * stream that broke, or one that went silent or overran the deadline. A provider's cut is not the
 * persona's choice, so the learner may ask for a new reply and the judge is told of it.
 */
export type Interruption = TurnInterruption;

export { cutByProvider, providerCuts };

export type PersonaReplyResult =
  | { ok: true; text: string; usage: TokenUsage | null; interrupted: Interruption | null }
  | { ok: false; code: "unavailable" | "timeout"; message: string };

/** Plays the persona: the offline engine, or an LLM behind an OpenAI-compatible API. */
export interface PersonaEngine {
  readonly kind: "offline" | "llm";
  readonly model: string | null;
  /**
   * Streams the reply through `onDelta`; a fired `signal` stops it and returns what was said. An
   * engine that speaks (the Realtime one) gives its speech to `onAudio` as it comes: 16-bit mono
   * PCM at 24 kHz, the words of which `onDelta` has been given or soon will be.
   */
  reply(request: PersonaReplyRequest, options: PersonaReplyOptions): Promise<PersonaReplyResult>;
}

export interface PersonaReplyOptions {
  signal: AbortSignal;
  onDelta: (text: string) => void;
  onAudio?: (pcm: Uint8Array) => void;
}
