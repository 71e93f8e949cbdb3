import { z } from "zod";

// One rule for every piece of text Spar reads from a client: a body, a query, a route parameter, a
// socket frame, a CSV cell, a library file. Everything else about a field (length, trimming,
// pattern) is the field's own business; this is what no field accepts.

/**
 * Control characters other than tab, line feed and carriage return (C0, DEL and C1), and halves of
 * surrogate pairs. PostgreSQL's text refuses NUL; a lone surrogate has no UTF-8 form, so JSON
 * columns refuse it; the other control characters have no place in anything people type, and can
 * hide or garble text where it is shown (a terminal escape in a log, a form feed in a CSV).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const refusedCharacter = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]|\p{Cs}/u;

function describe(character: string): string {
  const code = `U+${(character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;
  if (character === "\u0000") return `a NUL character (${code})`;
  if (/\p{Cs}/u.test(character)) return `half of a character (${code}, an unpaired surrogate)`;
  return `a control character (${code})`;
}

/** Where the first refused character is (0-based, in UTF-16 code units), or -1 when there is none. */
export function refusedCharacterIndex(value: string): number {
  return value.search(refusedCharacter);
}

/** Why a field's text cannot be stored, naming the first character refused and where it is; null when it can. */
export function textProblem(value: string): string | null {
  const index = refusedCharacterIndex(value);
  if (index < 0) return null;
  return `contains ${describe(value.charAt(index))} at character ${index + 1}; remove it`;
}

/** The line and column (1-based) of a position in a text, counting CRLF, LF and CR as line ends. */
export function lineAndColumn(value: string, index: number): { line: number; column: number } {
  const before = value.slice(0, index);
  const lineStart = Math.max(before.lastIndexOf("\n"), before.lastIndexOf("\r")) + 1;
  return { line: (before.match(/\r\n|\r|\n/g)?.length ?? 0) + 1, column: index - lineStart + 1 };
}

/** The same rule for a whole file's text (a CSV, a YAML file): the problem says the line and column. */
export function documentProblem(value: string): { line: number; column: number; problem: string } | null {
  const index = refusedCharacterIndex(value);
  if (index < 0) return null;
  return { ...lineAndColumn(value, index), problem: `contains ${describe(value.charAt(index))}; remove it` };
}

/** The check every text field carries; tests find it on each string a request schema reads. */
export const storableText = z.superRefine<string>((value, context) => {
  const problem = textProblem(value);
  if (problem) context.addIssue({ code: "custom", message: problem, input: value });
});

/** The check on a field that holds a whole file. */
export const storableDocument = z.superRefine<string>((value, context) => {
  const problem = documentProblem(value);
  if (problem) context.addIssue({ code: "custom", message: `line ${problem.line}, column ${problem.column}: ${problem.problem}`, input: value });
});

/** A string field of a request or a socket frame: `text()` where `z.string()` would be. */
export const text = (params?: Parameters<typeof z.string>[0]) => z.string(params).check(storableText);

/** A field holding a file's text (a CSV upload, a library file): refused characters are reported by line and column. */
export const documentText = (params?: Parameters<typeof z.string>[0]) => z.string(params).check(storableDocument);
