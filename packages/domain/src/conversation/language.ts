import nlp from "compromise";
import { normaliseText } from "./phrases.ts";

// The one place Spar reads English: compromise (its model ships in the npm package, so it works
// offline) splits a turn into sentences, tags each word and gives its root form. Everything
// above this module reasons about sentences and tags, never about raw characters.

export interface Word {
  /** Lower case, contractions as typed ("don't"). */
  normal: string;
  /** The dictionary form where compromise knows it ("invoices" → "invoice"), else `normal`. */
  root: string;
  tags: ReadonlySet<string>;
}

export interface Sentence {
  /** The sentence as written, whitespace and curly quotes normalised. */
  text: string;
  words: readonly Word[];
  isQuestion: boolean;
  /** Content words (nouns, verbs, adjectives, numbers), as roots, for comparing what two turns talk about. */
  content: readonly string[];
}

// Words that carry no topic: a turn built from these and cue phrases says nothing about the
// other person's situation.
const emptyWords = new Set(
  ("be have do say tell get make go know think feel hear see want need thing things stuff something anything " +
    "more else way lot bit point right sure good great okay ok really just very much yes no so well like " +
    "can could would will shall should may might must let us me you your yours i my we our it its this that " +
    "there here what how why which who when where one ones time help issue issues problem today question questions other " +
    "anything everything situation").split(" "),
);

interface TermJson {
  text: string;
  normal?: string;
  root?: string;
  implicit?: string;
  tags: string[];
}

const cache = new Map<string, readonly Sentence[]>();
const cacheLimit = 2_000;

/** The sentences of a text, analysed; the same text is analysed once. */
export function sentencesOf(text: string): readonly Sentence[] {
  const normalised = normaliseText(text);
  const cached = cache.get(normalised);
  if (cached) return cached;
  const doc = nlp(normalised);
  doc.compute("root");
  // `root` is filled by compute("root") but missing from compromise's option types.
  const options = { text: true, terms: { normal: true, root: true, tags: true } } as Parameters<typeof doc.json>[0];
  const json = doc.json(options) as { text: string; terms: TermJson[] }[];
  const sentences = json.map((sentence): Sentence => {
    const words = sentence.terms.map(
      (term): Word => {
        const normal = (term.normal || term.implicit || term.text).toLowerCase();
        return { normal, root: (term.root ?? normal).toLowerCase(), tags: new Set(term.tags) };
      },
    );
    const text = sentence.text.trim();
    return { text, words, isQuestion: text.endsWith("?"), content: contentRoots(words) };
  });
  if (cache.size >= cacheLimit) cache.delete(cache.keys().next().value as string);
  cache.set(normalised, sentences);
  return sentences;
}

function contentRoots(words: readonly Word[]): string[] {
  const roots: string[] = [];
  for (const word of words) {
    const tagged = ["Noun", "Verb", "Adjective", "Value", "Date"].some((tag) => word.tags.has(tag));
    if (!tagged || word.tags.has("Pronoun") || word.tags.has("Auxiliary") || word.tags.has("Copula") || word.tags.has("Modal")) continue;
    const root = word.root.replace(/[^\p{L}\p{N}$-]/gu, "");
    if (root.length < 2 || emptyWords.has(root)) continue;
    roots.push(root);
  }
  return roots;
}

/** Content roots of a whole text. */
export function contentOf(text: string): Set<string> {
  return new Set(sentencesOf(text).flatMap((sentence) => sentence.content));
}

/** Forgets every analysed text: for measuring the cost of a first reading (bench/scoring). */
export function forgetSentences(): void {
  cache.clear();
}
