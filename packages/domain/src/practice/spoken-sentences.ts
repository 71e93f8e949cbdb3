// Cuts a reply into sentences as its text streams in, so each can be spoken as soon as it is
// complete: the first sentence is heard while the rest is still being written. Sentence
// boundaries come from the platform's Unicode segmentation (Intl.Segmenter), not a home-made
// rule on full stops.

export interface SpokenSentence {
  text: string;
  /** Where the sentence lies in the whole reply, in UTF-16 code units. */
  from: number;
  to: number;
}

/** A sentence longer than this is spoken in parts. */
const longestSentence = 400;

/**
 * A sentence is complete once the text goes on after it, or at once when it ends in a full stop,
 * question or exclamation mark and a space: waiting for the next word would cost the time of a
 * token. A full stop after a short word ("Mr. ", "etc. ") is not trusted to end one.
 */
const endsASentence = /(?:[!?…]|[\p{L}\p{N}]{4,}\.|\p{N}\.)["'”’)\]]*\s+$/u;

export class SentenceCutter {
  readonly #segmenter: Intl.Segmenter;
  #text = "";
  /** How much of the text has been handed out as sentences. */
  #cut = 0;

  constructor(locale = "en") {
    this.#segmenter = new Intl.Segmenter(locale, { granularity: "sentence" });
  }

  /** Adds streamed text; returns the sentences it completed. */
  push(text: string): SpokenSentence[] {
    this.#text += text;
    return this.#take(false);
  }

  /** The reply is complete: returns what is left as the last sentence (if anything). */
  finish(): SpokenSentence[] {
    return this.#take(true);
  }

  #take(final: boolean): SpokenSentence[] {
    const base = this.#cut;
    const segments = [...this.#segmenter.segment(this.#text.slice(base))];
    // The last segment may still grow, unless the reply is complete.
    const complete = final ? segments : segments.slice(0, -1);
    const sentences: SpokenSentence[] = [];
    for (const segment of complete) this.#sentence(sentences, base + segment.index, segment.segment);
    const open = final ? undefined : segments.at(-1);
    if (open && endsASentence.test(open.segment)) this.#sentence(sentences, base + open.index, open.segment);
    else if (open && open.segment.length > longestSentence) {
      // A run-on sentence: speak up to its last clause break rather than wait for its end.
      const breakAt = Math.max(open.segment.lastIndexOf(", "), open.segment.lastIndexOf("; "), open.segment.lastIndexOf(" — "));
      if (breakAt > 0) this.#sentence(sentences, base + open.index, open.segment.slice(0, breakAt + 2));
    }
    return sentences;
  }

  /** Hands out the text at `at` as a sentence (blank or punctuation-only text is passed over). */
  #sentence(into: SpokenSentence[], at: number, segment: string): void {
    this.#cut = at + segment.length;
    const text = segment.trim();
    if (!/[\p{L}\p{N}]/u.test(text)) return;
    const from = at + segment.indexOf(text);
    into.push({ text, from, to: from + text.length });
  }
}
