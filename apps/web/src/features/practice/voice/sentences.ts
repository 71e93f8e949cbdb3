/**
 * The complete sentences in a reply streaming in, from `from` on: each ends at a full stop,
 * question or exclamation mark (or an ellipsis) followed by a space or a line break. The rest is
 * kept until more text comes, or until the reply ends (`final`), when it is a sentence too.
 */
export function completeSentences(text: string, from: number, final: boolean): { from: number; to: number }[] {
  const sentences: { from: number; to: number }[] = [];
  let start = from;
  const ending = /[.!?…]+["'”’)]*(?=\s)|\n+/g;
  ending.lastIndex = from;
  for (let match = ending.exec(text); match; match = ending.exec(text)) {
    const to = match.index + match[0].length;
    if (text.slice(start, to).trim()) sentences.push(trimmed(text, start, to));
    start = to;
  }
  if (final && text.slice(start).trim()) sentences.push(trimmed(text, start, text.length));
  return sentences;
}

/** The span without its surrounding white space. */
function trimmed(text: string, from: number, to: number): { from: number; to: number } {
  let start = from;
  let end = to;
  while (start < end && /\s/.test(text[start] ?? "")) start += 1;
  while (end > start && /\s/.test(text[end - 1] ?? "")) end -= 1;
  return { from: start, to: end };
}
