// Finding a quote in the turn it names. A quote is the learner's words as they said them, but
// a scorer may retype curly quotes straight, change the case at a cut, or collapse line breaks,
// and may cut the middle out with an ellipsis; none of that changes what was said.

/** Case, whitespace, curly quotes and apostrophes, and compatibility forms (non-breaking spaces) made uniform. */
export function normaliseForQuote(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[‘’‛ʼ′`]/g, "'")
    .replace(/[“”„‟″]/g, '"')
    .replace(/\s+/g, " ")
    .trim();
}

// NFKC has already turned "…" into "...", so one pattern marks every cut.
const ellipsis = /\s*\.{3,}\s*/;
const wrappingQuotes = /^["']+|["']+$/g;

/** The parts of a quote between the ellipses that mark its cuts, normalised, empty parts dropped. */
export function quoteParts(quote: string): string[] {
  return normaliseForQuote(quote)
    .replace(wrappingQuotes, "")
    .split(ellipsis)
    .map((part) => part.trim())
    .filter((part) => part !== "");
}

export interface Span {
  start: number;
  end: number;
}

/**
 * Where each part of the quote is in the turn (normalised), in order, or null when a part is
 * missing or out of order. A quote with no words at all is never found.
 */
export function locateQuote(quote: string, turnText: string): Span[] | null {
  const text = normaliseForQuote(turnText);
  const parts = quoteParts(quote);
  if (parts.length === 0) return null;
  const spans: Span[] = [];
  let from = 0;
  for (const part of parts) {
    const start = text.indexOf(part, from);
    if (start < 0) return null;
    spans.push({ start, end: start + part.length });
    from = start + part.length;
  }
  return spans;
}

/** Words in the quote: runs of letters or digits, so punctuation and ellipses count for nothing. */
export function quoteWordCount(quote: string): number {
  return quoteParts(quote).join(" ").match(/[\p{L}\p{N}]+(?:'[\p{L}]+)*/gu)?.length ?? 0;
}

/** Whether the quote is the whole turn, give or take its closing punctuation. */
export function isWholeTurn(quote: string, turnText: string): boolean {
  const bare = (text: string) => normaliseForQuote(text).replace(wrappingQuotes, "").replace(/[\s.!?…,;:"']+$/u, "");
  return bare(quote) === bare(turnText);
}

export const overlaps = (a: Span, b: Span) => a.start < b.end && b.start < a.end;
