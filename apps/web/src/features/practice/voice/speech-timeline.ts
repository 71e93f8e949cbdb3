// Where a persona turn's spoken sentences lie in its text and on the audio clock, so the client
// knows how much of the turn the learner has heard at any moment (for `speech-played`).

export interface TimedSentence {
  /** Where the sentence lies in the turn's text (UTF-16 code units), as `speech-start` gave it. */
  from: number;
  to: number;
  /** When its audio starts and ends playing, in seconds on one clock; `endsAt` grows as audio arrives. */
  startsAt: number;
  endsAt: number;
}

/**
 * How many characters of the turn have been spoken by `now`: the `to` of the last sentence played
 * through, or within the one playing, its `from` plus the share of its audio already played.
 */
export function heardChars(sentences: readonly TimedSentence[], now: number): number {
  let heard = 0;
  for (const sentence of sentences) {
    if (now >= sentence.endsAt) {
      heard = sentence.to;
      continue;
    }
    if (now > sentence.startsAt && sentence.endsAt > sentence.startsAt) {
      const share = (now - sentence.startsAt) / (sentence.endsAt - sentence.startsAt);
      heard = Math.min(sentence.to, sentence.from + Math.floor((sentence.to - sentence.from) * share));
    }
    break;
  }
  return heard;
}

/** How long the turn's audio has played by `now`, in whole milliseconds (gaps between sentences not counted). */
export function playedMs(sentences: readonly TimedSentence[], now: number): number {
  let seconds = 0;
  for (const sentence of sentences) seconds += Math.max(0, Math.min(now, sentence.endsAt) - sentence.startsAt);
  return Math.round(seconds * 1000);
}
