import type { CST } from "yaml";

/**
 * What a library file may hold. Authored files are far smaller (the largest shipped scenario is
 * 16 KB with about 500 values); the limits keep a hostile or broken upload from taking real
 * memory or time, and each refusal names the limit.
 */
export const sourceLimits = {
  maxBytes: 256 * 1024,
  /** Mappings and lists inside each other. */
  maxDepth: 24,
  /** Keys, list items and scalar values, counted as written (an alias counts once). */
  maxValues: 10_000,
  /** `*name` references to anchors. */
  maxAliases: 50,
};

export interface LimitProblem {
  /** Offset in the text of the value that went over the limit. */
  offset: number;
  message: string;
}

/**
 * Walks the parsed token tree (before any value is built) with a stack of its own, so that neither
 * deep nesting nor a long file can exhaust the call stack or run longer than one pass: the first
 * limit passed stops the walk.
 */
export function checkLimits(tokens: readonly CST.Token[]): LimitProblem | null {
  let values = 0;
  let aliases = 0;
  const pending: { token: CST.Token; depth: number }[] = [];
  for (const token of [...tokens].reverse()) if (token.type === "document" && token.value) pending.push({ token: token.value, depth: 1 });
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { token, depth } = next;
    switch (token.type) {
      case "block-map":
      case "block-seq":
      case "flow-collection": {
        if (depth > sourceLimits.maxDepth) return { offset: token.offset, message: `nesting is deeper than ${sourceLimits.maxDepth} levels` };
        const children: CST.Token[] = [];
        for (const item of token.items) {
          if ("key" in item && item.key) children.push(item.key);
          if (item.value) children.push(item.value);
        }
        // Reversed onto the stack, so the walk meets values in the order they are written.
        for (let index = children.length - 1; index >= 0; index--) pending.push({ token: children[index] as CST.Token, depth: depth + 1 });
        break;
      }
      case "alias":
        aliases++;
        if (aliases > sourceLimits.maxAliases) {
          return { offset: token.offset, message: `more than ${sourceLimits.maxAliases} aliases (*name): refused as a possible resource exhaustion attack` };
        }
        break;
      default:
        break;
    }
    values++;
    if (values > sourceLimits.maxValues) {
      return { offset: token.offset, message: `more than ${sourceLimits.maxValues.toLocaleString("en")} values (keys, list items and scalars); a library file needs far fewer: split it or shorten it` };
    }
  }
  return null;
}
