import { negations } from "./cues.ts";
import { listPattern, normaliseText } from "./phrases.ts";

// Finding a phrase the way a reader would: "I'm sorry" is an apology, "I'm not sorry" is not,
// and "this isn't your fault" blames nobody. A match is negated when a negation sits in the same
// clause within a few words before it.

const negationWindow = 3;

function negatedAt(text: string, index: number): boolean {
  const before = text.slice(0, index);
  const clause = before.split(/[,;:.!?—–]|\bbut\b/i).at(-1) ?? "";
  const words = clause.toLowerCase().match(/[\p{L}']+/gu) ?? [];
  return words.slice(-negationWindow).some((word) => negations.has(word) || word.endsWith("n't"));
}

/** The first phrase of the list said (and not negated) in the text, as written there, or null. */
export function findPhrase(text: string, phrases: readonly string[]): string | null {
  const normalised = normaliseText(text);
  for (const match of normalised.matchAll(listPattern(phrases))) {
    if (!negatedAt(normalised, match.index)) return match[0];
  }
  return null;
}

export interface PhraseCoverage {
  /** Words in the text. */
  words: number;
  /** Words inside a matched phrase. */
  covered: number;
  /** The words of the matched phrases, lower case. */
  cueWords: Set<string>;
}

/** How much of a text is stock phrases from the lists: a pile of them says little of its own. */
export function phraseCoverage(text: string, lists: readonly (readonly string[])[]): PhraseCoverage {
  const normalised = normaliseText(text);
  const mask = new Array<boolean>(normalised.length).fill(false);
  const cueWords = new Set<string>();
  for (const list of lists) {
    for (const match of normalised.matchAll(listPattern(list))) {
      for (let at = match.index; at < match.index + match[0].length; at++) mask[at] = true;
      for (const word of match[0].toLowerCase().match(/[\p{L}']+/gu) ?? []) cueWords.add(word);
    }
  }
  let words = 0;
  let covered = 0;
  for (const match of normalised.matchAll(/[\p{L}\p{N}'$]+/gu)) {
    words += 1;
    if (mask[match.index]) covered += 1;
  }
  return { words, covered, cueWords };
}
