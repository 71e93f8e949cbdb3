// How the reply guard reads text into words. The protected texts and the streamed reply are read
// by this one reader, so "Fraud-scoring", "fraud scoring" and "FRAUD SCORING" are the same two
// words on both sides, and a word split across two deltas is the same word as in one.

/** A word as the guard compares it: lower case, letters and digits only ("didn't" is "didnt"). */
export interface ReadWord {
  word: string;
  /** Where the word starts in the text read so far. */
  start: number;
  /** The word is the first of a "[fact-id]" marker as the prompt writes one. */
  bracketed: boolean;
}

const apostrophes = new Set(["'", "’"]);
const letterOrDigit = /[\p{L}\p{N}]/u;

function isWordChar(char: string): boolean {
  const code = char.charCodeAt(0);
  // ASCII first, without a regular expression: nearly every character a model streams.
  if (code < 128) return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57);
  return letterOrDigit.test(char);
}

// Words that say nothing on their own: a run made only of them ("and I do not want to") is how
// anyone talks, so it never counts as a match.
export const stopwords = new Set(
  (
    "a an and or but if then so as at by for from in into of on onto to with without about above after again against all am are " +
    "be been being before below between both can could did do does doing down during each few further had has have having here how " +
    "i im ive id ill me my myself we our ours us you your yours youre youve yourself he him his she her hers it its itself they them " +
    "their theirs themselves what which who whom whose this that these those was were is isnt wasnt not no nor only own same than too " +
    "very just dont didnt doesnt cant wont would should shall will may might must there where when why up out off over under once " +
    "any some such more most other one also now well yes yeah ok okay oh really get got go going"
  ).split(" "),
);

/**
 * Reads text as it streams, one chunk at a time, and hands each completed word to `onWord`. The
 * word still being written at the end of a chunk (it may go on in the next one) is `partial`.
 */
export class WordReader {
  #length = 0;
  #word = "";
  #wordStart = 0;
  #before = "";
  #bracketed = false;

  /** The word being written, lower case so far, or "" between words. */
  get partial(): string {
    return this.#word;
  }

  get partialStart(): number {
    return this.#wordStart;
  }

  /** The word being written follows a "[". */
  get partialBracketed(): boolean {
    return this.#word !== "" && this.#bracketed;
  }

  read(chunk: string, onWord: (word: ReadWord) => void): void {
    for (const char of chunk) {
      const at = this.#length;
      this.#length += char.length;
      if (isWordChar(char)) {
        if (this.#word === "") {
          this.#wordStart = at;
          this.#bracketed = this.#before === "[";
        }
        this.#word += char.toLowerCase();
      } else if (apostrophes.has(char) && this.#word !== "") {
        // Inside a word an apostrophe joins ("didn't"); elsewhere it is a quotation mark.
      } else {
        this.#complete(onWord);
        this.#before = char;
      }
    }
  }

  /** The text has ended: the word being written is complete. */
  end(onWord: (word: ReadWord) => void): void {
    this.#complete(onWord);
  }

  #complete(onWord: (word: ReadWord) => void): void {
    if (this.#word === "") return;
    const word = { word: this.#word, start: this.#wordStart, bracketed: this.#bracketed };
    this.#word = "";
    this.#before = "";
    onWord(word);
  }
}

/** Every word of a whole text, as the guard reads it. */
export function guardWords(text: string): ReadWord[] {
  const words: ReadWord[] = [];
  const reader = new WordReader();
  reader.read(text, (word) => words.push(word));
  reader.end((word) => words.push(word));
  return words;
}
