import { guardWords, stopwords } from "./guard-words.ts";

/** What a cut reply was giving away: the persona's instructions, or a fact it keeps to itself. */
export type LeakReason = "instructions" | "hidden-fact";

/**
 * Words in a row that make a match: six words of a protected text, said in the same order,
 * are taken as read from it rather than said by chance. Shorter runs ("the launch team",
 * "under the bus") are how people talk; the shipped scenarios' example conversations have no
 * run this long in common with what their persona keeps to itself.
 */
export const phraseWords = 6;

/**
 * The most words of protected wording in a row that can reach the learner: a run of
 * `phraseWords` is cut before any of its words leaves (they are held back while they could be
 * one), so what gets out is what came before the first run the guard checks.
 */
export const maxLeakedWords = phraseWords - 1;

/** A run of `phraseWords` made of fewer content words than this is ordinary talk, never a match. */
const minContentWords = 2;

export interface PhraseNode {
  readonly next: Map<string, PhraseNode>;
  /** A protected phrase ends here. */
  reason: LeakReason | null;
}

/** What the reply must not say, as a tree of word sequences, and the first words' prefixes. */
export interface ProtectedPhrases {
  readonly root: PhraseNode;
  /** Every prefix of every first word, so a word still being written can be told apart early. */
  readonly startPrefixes: ReadonlySet<string>;
  /** How many phrases the tree holds. */
  readonly size: number;
}

export interface ProtectedText {
  text: string;
  reason: LeakReason;
}

const node = (): PhraseNode => ({ next: new Map(), reason: null });

/** The `phraseWords`-word runs of a text, each as one key. */
export function phraseKeys(text: string): string[] {
  const words = guardWords(text).map((each) => each.word);
  const keys: string[] = [];
  for (let index = 0; index + phraseWords <= words.length; index++) keys.push(words.slice(index, index + phraseWords).join(" "));
  return keys;
}

/**
 * The phrases of `secrets` that are not also in `known` (what the learner has read or heard, or
 * may hear now), and the `markers` (word sequences that only a copied prompt contains), as one
 * tree. A phrase in a hidden fact is reported as one, even when the instructions repeat it.
 */
export function protectedPhrases(secrets: readonly ProtectedText[], known: readonly string[], markers: readonly string[][]): ProtectedPhrases {
  const open = new Set(known.flatMap(phraseKeys));
  const root = node();
  const startPrefixes = new Set<string>();
  let size = 0;
  const add = (words: readonly string[], reason: LeakReason) => {
    let at = root;
    for (const word of words) {
      let child = at.next.get(word);
      if (!child) {
        child = node();
        at.next.set(word, child);
      }
      at = child;
    }
    if (at.reason === null) size += 1;
    if (at.reason !== "hidden-fact") at.reason = reason;
    const first = words[0] ?? "";
    for (let end = 1; end <= first.length; end++) startPrefixes.add(first.slice(0, end));
  };
  // Hidden facts first, so a phrase they share with the instructions is reported as a fact.
  const ordered = [...secrets].sort((a, b) => (a.reason === b.reason ? 0 : a.reason === "hidden-fact" ? -1 : 1));
  for (const secret of ordered) {
    const words = guardWords(secret.text).map((each) => each.word);
    for (let index = 0; index + phraseWords <= words.length; index++) {
      const run = words.slice(index, index + phraseWords);
      if (run.filter((word) => !stopwords.has(word)).length < minContentWords) continue;
      if (open.has(run.join(" "))) continue;
      add(run, secret.reason);
    }
  }
  for (const marker of markers) add(marker, "instructions");
  return { root, startPrefixes, size };
}
