/** What an erased person's name or e-mail address is replaced with wherever it was written down. */
export const erasedMark = "(erased)";

const escapeForRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Replaces every occurrence of the identifiers (a person's names and e-mail addresses) in the
 * string values of a JSON value, case-insensitively and only as whole words, so erasing "Al"
 * leaves "Alice" alone. Keys are kept: they name fields, not people.
 */
export function scrubIdentifiers(value: unknown, identifiers: readonly string[]): { value: unknown; changed: boolean } {
  const wanted = [...new Set(identifiers.map((each) => each.trim()).filter((each) => each.length > 0))].sort((a, b) => b.length - a.length);
  if (wanted.length === 0) return { value, changed: false };
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}@._-])(?:${wanted.map(escapeForRegExp).join("|")})(?![\\p{L}\\p{N}@-]|\\.[\\p{L}\\p{N}])`, "giu");
  let changed = false;
  const walk = (node: unknown): unknown => {
    if (typeof node === "string") {
      const replaced = node.replace(pattern, erasedMark);
      if (replaced !== node) changed = true;
      return replaced;
    }
    if (Array.isArray(node)) return node.map(walk);
    if (node !== null && typeof node === "object") return Object.fromEntries(Object.entries(node).map(([key, each]) => [key, walk(each)]));
    return node;
  };
  const result = walk(value);
  return { value: result, changed };
}

/**
 * Names and e-mail addresses a person has had, as audit entries about them recorded them (a
 * rename or a new address leaves the old one in `{ from, to }`), so none survives an erasure.
 */
export function identifiersIn(details: unknown): string[] {
  if (details === null || typeof details !== "object" || Array.isArray(details)) return [];
  const found: string[] = [];
  for (const key of ["name", "email"]) {
    const field = (details as Record<string, unknown>)[key];
    if (typeof field === "string") found.push(field);
    else if (field !== null && typeof field === "object") {
      for (const side of ["from", "to"]) {
        const each = (field as Record<string, unknown>)[side];
        if (typeof each === "string") found.push(each);
      }
    }
  }
  return found;
}
