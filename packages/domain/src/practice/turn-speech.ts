// When a spoken turn was spoken: kept on the turn for the voice metrics (scoring/voice-metrics.ts).
// The learner's speech is timed by the audio the server received; the persona's by what the
// client reports it played. A typed turn has none.
import { z } from "zod";
import type { TimedTurn } from "../scoring/voice-metrics.ts";

export const TurnSpeech = z.object({
  startedAt: z.coerce.date(),
  endedAt: z.coerce.date(),
  /** The words' times from `startedAt`, where speech-to-text gave them; empty otherwise. */
  words: z.array(z.object({ text: z.string(), startMs: z.number(), endMs: z.number() })).default([]),
});
export type TurnSpeech = z.infer<typeof TurnSpeech>;

/** A stored speech column read back; null for a typed turn (or one that cannot be read). */
export function speechOf(column: unknown): TurnSpeech | null {
  if (column === null || column === undefined) return null;
  const parsed = TurnSpeech.safeParse(column);
  return parsed.success ? parsed.data : null;
}

/**
 * The part of a persona reply the learner heard before speaking over it: up to `heardChars`,
 * finishing the word being spoken, and at least the first word (an empty turn says nothing
 * about what happened). Null when all of it was heard.
 */
export function heardPart(text: string, heardChars: number): string | null {
  if (heardChars >= text.trimEnd().length) return null;
  const firstWordEnd = /^\s*\S+/u.exec(text)?.[0].length ?? text.length;
  let end = Math.max(heardChars, firstWordEnd);
  while (end < text.length && !/\s/u.test(text.charAt(end))) end++;
  const heard = text.slice(0, end).trimEnd();
  return heard.length < text.trimEnd().length ? heard : null;
}

/**
 * A session's spoken turns on one timeline, milliseconds from its start, for voiceMetrics. Typed
 * turns are left out: a conversation partly typed is measured on what was spoken.
 */
export function timedTranscript(turns: readonly { speaker: "learner" | "persona"; text: string; speech: TurnSpeech | null }[], startedAt: Date): TimedTurn[] {
  const from = startedAt.getTime();
  return turns.flatMap((turn) => {
    if (!turn.speech) return [];
    const offset = turn.speech.startedAt.getTime() - from;
    return [
      {
        speaker: turn.speaker,
        text: turn.text,
        startMs: offset,
        endMs: turn.speech.endedAt.getTime() - from,
        words: turn.speech.words.map((word) => ({ text: word.text, startMs: word.startMs + offset, endMs: word.endMs + offset })),
      },
    ];
  });
}
