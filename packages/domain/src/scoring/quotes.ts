import { sentencesOf } from "../conversation/language.ts";
import { normaliseText } from "../conversation/phrases.ts";

/** A quote shorter than this cannot show a behaviour ("Yes." proves nothing). */
export const minimumQuoteWords = 4;
/** Longer sentences are cut at word boundaries, keeping their start. */
const longestQuote = 300;

const wordCount = (text: string) => text.split(/\s+/).filter(Boolean).length;

/**
 * The words of a turn that show something, cut around `focus` (a sentence of the turn) instead
 * of blindly at a length: the focus sentence whole, with its neighbours when it is too short to
 * stand alone, and an ellipsis wherever the turn goes on. Returns null when the focus is not in
 * the turn.
 */
export function cutQuote(turnText: string, focus: string): string | null {
  const text = normaliseText(turnText);
  const sentences = sentencesOf(text).map((sentence) => sentence.text);
  let first = sentences.indexOf(normaliseText(focus));
  if (first < 0) first = sentences.findIndex((sentence) => sentence.includes(normaliseText(focus)) || normaliseText(focus).includes(sentence));
  if (first < 0) return text.includes(normaliseText(focus)) ? normaliseText(focus) : null;
  let last = first;
  while (wordCount(sentences.slice(first, last + 1).join(" ")) < minimumQuoteWords && (last < sentences.length - 1 || first > 0)) {
    if (last < sentences.length - 1) last += 1;
    else first -= 1;
  }
  let quote = sentences.slice(first, last + 1).join(" ");
  if (!text.includes(quote)) quote = sentences[first] ?? quote;
  let cutEnd = false;
  if (quote.length > longestQuote) {
    const cut = quote.slice(0, longestQuote);
    quote = cut.slice(0, Math.max(cut.lastIndexOf(" "), 1)).replace(/[,;:]$/, "");
    cutEnd = true;
  }
  const start = text.indexOf(quote);
  const before = start > 0 ? "… " : "";
  const after = cutEnd || start + quote.length < text.length ? " …" : "";
  return `${before}${quote}${after}`;
}
