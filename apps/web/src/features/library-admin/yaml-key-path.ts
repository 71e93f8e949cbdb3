/**
 * Where in a YAML document a position sits, as the chain of mapping keys (and "[]" for a list
 * item) that leads to it. Read from indentation alone rather than from a parse, because an author
 * asks for completion exactly when the document is half-typed and no parser would accept it.
 */

/** One step down into the document: a mapping key, or an item of a list. */
export type KeyPathStep = string;
export const listItem: KeyPathStep = "[]";

interface LineToken {
  column: number;
  step: KeyPathStep;
}

const keyPattern = /^([A-Za-z_][\w-]*)[ \t]*:(?=\s|$)/;

/** The keys and list dashes a line opens, left to right, each with the column it starts at. */
export function lineTokens(line: string): LineToken[] {
  const tokens: LineToken[] = [];
  let column = line.length - line.trimStart().length;
  for (;;) {
    const rest = line.slice(column);
    if (/^-(\s|$)/.test(rest)) {
      tokens.push({ column, step: listItem });
      column += 1 + (rest.slice(1).length - rest.slice(1).trimStart().length);
      continue;
    }
    const key = keyPattern.exec(rest);
    if (key?.[1]) tokens.push({ column, step: key[1] });
    return tokens;
  }
}

const isContent = (line: string) => line.trim() !== "" && !line.trimStart().startsWith("#");

/**
 * The steps that enclose a node starting at `column` on line `lineIndex` (zero-based): every key
 * or dash above it, nearest first, that starts left of what it encloses.
 */
export function enclosingPath(lines: readonly string[], lineIndex: number, column: number): KeyPathStep[] {
  const path: KeyPathStep[] = [];
  let limit = column;
  // Dashes left of the node on its own line ("- id: x") are items it sits in.
  const own = lineTokens(lines[lineIndex] ?? "").filter((token) => token.column < limit);
  for (const token of own.reverse()) {
    path.unshift(token.step);
    limit = token.column;
  }
  for (let index = lineIndex - 1; index >= 0 && limit > 0; index--) {
    const line = lines[index] ?? "";
    if (!isContent(line)) continue;
    const tokens = lineTokens(line).filter((token) => token.column < limit);
    for (const token of tokens.reverse()) {
      path.unshift(token.step);
      limit = token.column;
    }
  }
  return path;
}

/** The key written at `column` of a line, if the column falls on one, with where it starts and ends. */
export function keyAt(line: string, column: number): { key: string; from: number; to: number } | null {
  for (const token of lineTokens(line)) {
    if (token.step === listItem) continue;
    const to = token.column + token.step.length;
    if (column >= token.column && column <= to) return { key: token.step, from: token.column, to };
  }
  return null;
}
