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
 * Words of a matching run that go out before the guard knows: the first. Holding the first word
 * of every run that might match would hold the first word of two replies in five (the shipped
 * examples), and with it the reply's first token; from the second word on, runs rarely match.
 */
export const leadWords: number = 1;

/**
 * The most words of protected wording in a row that can reach the learner before a cut: up to
 * `phraseWords - 1` that match no protected run (a run is six), then the first of the run that
 * trips the guard. Stretches where no six words hold two content words ("what is going on for
 * him") and wording the learner has seen are not protected wording and not counted.
 */
export const maxLeakedWords = phraseWords - 1 + leadWords;

/** A run of `phraseWords` made of fewer content words than this is ordinary talk, never a match. */
const minContentWords = 2;

/** Who a phrase belongs to: the instructions, or the id of a hidden fact. */
export type PhraseOwner = { kind: "instructions" } | { kind: "hidden-fact"; id: string };

export interface PhraseNode {
  readonly next: Map<string, PhraseNode>;
  /** Set where a protected phrase ends: every text it was found in. */
  owners: PhraseOwner[] | null;
}

/** Protected phrases as a tree of words, and every prefix of every first word. */
export interface PhraseTree {
  readonly root: PhraseNode;
  /** So that a word still being written can be told apart early. */
  readonly startPrefixes: ReadonlySet<string>;
  /** How many phrases the tree holds. */
  readonly size: number;
}

export interface OwnedText {
  text: string;
  owner: PhraseOwner;
}

/** The `phraseWords`-word runs of a text, each as one key ("she said it came from the"). */
export function phraseKeys(text: string): string[] {
  const words = guardWords(text).map((each) => each.word);
  const keys: string[] = [];
  for (let index = 0; index + phraseWords <= words.length; index++) keys.push(words.slice(index, index + phraseWords).join(" "));
  return keys;
}

/**
 * The runs of `texts` that are not also in `known` (what the learner has been told), and the
 * `markers` (word sequences that only a copied prompt contains), as one tree.
 */
export function phraseTree(texts: readonly OwnedText[], known: readonly ReadonlySet<string>[], markers: readonly string[][] = []): PhraseTree {
  const root: PhraseNode = { next: new Map(), owners: null };
  const startPrefixes = new Set<string>();
  let size = 0;
  const add = (words: readonly string[], owner: PhraseOwner) => {
    let at = root;
    for (const word of words) {
      let child = at.next.get(word);
      if (!child) {
        child = { next: new Map(), owners: null };
        at.next.set(word, child);
        if (at === root) for (let end = 1; end <= word.length; end++) startPrefixes.add(word.slice(0, end));
      }
      at = child;
    }
    if (!at.owners) {
      at.owners = [];
      size += 1;
    }
    if (!at.owners.some((each) => sameOwner(each, owner))) at.owners.push(owner);
  };
  for (const { text, owner } of texts) {
    const words = guardWords(text).map((each) => each.word);
    for (let index = 0; index + phraseWords <= words.length; index++) {
      const run = words.slice(index, index + phraseWords);
      if (run.filter((word) => !stopwords.has(word)).length < minContentWords) continue;
      const key = run.join(" ");
      if (known.some((set) => set.has(key))) continue;
      add(run, owner);
    }
  }
  for (const marker of markers) add(marker, { kind: "instructions" });
  return { root, startPrefixes, size };
}

const sameOwner = (a: PhraseOwner, b: PhraseOwner) => a.kind === b.kind && (a.kind === "instructions" || (b.kind === "hidden-fact" && a.id === b.id));
