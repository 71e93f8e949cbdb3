// Voice metrics from a timed transcript, no model involved: how a spoken conversation went,
// beside the text metrics (conversation-metrics.ts). Times are milliseconds from the session's
// start; a turn's words may carry their own times when the speech-to-text service gives them.

export interface TimedWord {
  text: string;
  startMs: number;
  endMs: number;
}

export interface TimedTurn {
  speaker: "learner" | "persona";
  text: string;
  /** When the speaker began and stopped speaking (for the persona: when its audio played). */
  startMs: number;
  endMs: number;
  words?: readonly TimedWord[];
}

export interface VoiceMetrics {
  /** Learner words per minute of learner speech. */
  "speaking-pace-wpm": number;
  /** Filler words and phrases per minute of learner speech. */
  "fillers-per-minute": number;
  /** The longest silence before or inside a learner turn, in seconds. */
  "longest-pause-seconds": number;
  /** The learner's share of the time anyone was speaking, 0 to 1. */
  "learner-talk-time-share": number;
  /** Learner turns that began while the persona was still speaking. */
  "learner-interruptions": number;
  /** Persona turns that began while the learner was still speaking. */
  "interrupted-by-persona": number;
  /** The median time from the persona falling silent to the learner speaking, in seconds. */
  "response-latency-seconds": number;
}

/**
 * A filler is a whole word or phrase, matched without regard to case. `setOff` fillers count only
 * when punctuation sets them off ("it was, like, huge"), since they are ordinary words otherwise
 * ("I like that"); speech-to-text services punctuate such hesitations.
 */
export interface Filler {
  phrase: string;
  setOff?: boolean;
}

export const defaultFillers: readonly Filler[] = [
  { phrase: "um" },
  { phrase: "umm" },
  { phrase: "uh" },
  { phrase: "uhm" },
  { phrase: "erm" },
  { phrase: "er" },
  { phrase: "hmm" },
  { phrase: "you know", setOff: true },
  { phrase: "like", setOff: true },
  { phrase: "i mean", setOff: true },
  { phrase: "sort of", setOff: true },
  { phrase: "kind of", setOff: true },
  { phrase: "basically", setOff: true },
];

const wordCount = (text: string) => text.split(/\s+/).filter((word) => /[\p{L}\p{N}]/u.test(word)).length;
const round = (value: number, places = 2) => Math.round(value * 10 ** places) / 10 ** places;
const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** How many fillers a text holds. */
export function countFillers(text: string, fillers: readonly Filler[] = defaultFillers): number {
  let count = 0;
  for (const filler of fillers) {
    const phrase = filler.phrase.trim().split(/\s+/).map(escaped).join("\\s+");
    // Set off: at the start or end of the text or a clause, or between commas.
    const pattern = filler.setOff
      ? new RegExp(`(?:^|[,.;:!?—–-]\\s*)${phrase}(?=\\s*(?:[,.;:!?—–-]|$))`, "giu")
      : new RegExp(`(?<![\\p{L}\\p{N}'])${phrase}(?![\\p{L}\\p{N}'])`, "giu");
    count += text.match(pattern)?.length ?? 0;
  }
  return count;
}

/** Silences inside a turn, from its words' times: the gaps between one word's end and the next's start. */
function pausesInside(turn: TimedTurn): number[] {
  const words = turn.words ?? [];
  return words.slice(1).map((word, index) => word.startMs - (words[index] as TimedWord).endMs);
}

function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

export function voiceMetrics(transcript: readonly TimedTurn[], fillers: readonly Filler[] = defaultFillers): VoiceMetrics {
  const turns = [...transcript].sort((a, b) => a.startMs - b.startMs);
  const duration = (turn: TimedTurn) => Math.max(0, turn.endMs - turn.startMs);
  const learner = turns.filter((turn) => turn.speaker === "learner");
  const learnerMs = learner.reduce((sum, turn) => sum + duration(turn), 0);
  const allMs = turns.reduce((sum, turn) => sum + duration(turn), 0);
  const learnerMinutes = learnerMs / 60_000;

  const pauses: number[] = [];
  const latencies: number[] = [];
  let learnerInterruptions = 0;
  let interruptedByPersona = 0;
  for (const [index, turn] of turns.entries()) {
    const previous = turns[index - 1];
    if (turn.speaker === "learner") {
      pauses.push(...pausesInside(turn));
      if (previous?.speaker === "persona") {
        const gap = turn.startMs - previous.endMs;
        if (gap < 0) learnerInterruptions += 1;
        else {
          latencies.push(gap);
          pauses.push(gap);
        }
      }
    } else if (previous?.speaker === "learner" && turn.startMs < previous.endMs) {
      interruptedByPersona += 1;
    }
  }

  const learnerWords = learner.reduce((sum, turn) => sum + wordCount(turn.text), 0);
  const learnerFillers = learner.reduce((sum, turn) => sum + countFillers(turn.text, fillers), 0);
  return {
    "speaking-pace-wpm": learnerMinutes === 0 ? 0 : Math.round(learnerWords / learnerMinutes),
    "fillers-per-minute": learnerMinutes === 0 ? 0 : round(learnerFillers / learnerMinutes, 1),
    "longest-pause-seconds": round(Math.max(0, ...pauses) / 1000, 1),
    "learner-talk-time-share": allMs === 0 ? 0 : round(learnerMs / allMs),
    "learner-interruptions": learnerInterruptions,
    "interrupted-by-persona": interruptedByPersona,
    "response-latency-seconds": round(median(latencies) / 1000, 1),
  };
}
