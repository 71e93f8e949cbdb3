// Matching authored phrases against what a learner typed: case-insensitive, whole words only
// ("flag" matches "Flag it" but not "flagship"), tolerant of curly quotes and extra spaces.

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export function normaliseText(text: string): string {
  return text.replace(/[‘’ʼ]/g, "'").replace(/[“”]/g, '"').replace(/\s+/g, " ").trim();
}

// One pattern per list, longest phrase first, so a text is searched once per list rather than
// once per phrase: the practice path reads every learner turn. Lists are the library's and the
// classifier's own arrays, kept for as long as they are.
const listPatterns = new WeakMap<readonly string[], RegExp>();

/** A global pattern matching any phrase of the list as whole words; search it with matchAll. */
export function listPattern(phrases: readonly string[]): RegExp {
  let pattern = listPatterns.get(phrases);
  if (!pattern) {
    const bodies = [...new Set(phrases.map((phrase) => normaliseText(phrase)).filter(Boolean))]
      .sort((a, b) => b.length - a.length)
      .map((phrase) => phrase.split(" ").map(escapeRegExp).join("\\s+"));
    pattern = new RegExp(`(?<![\\p{L}\\p{N}])(?:${bodies.join("|") || "(?!)"})(?![\\p{L}\\p{N}])`, "giu");
    listPatterns.set(phrases, pattern);
  }
  return pattern;
}

export function containsAnyPhrase(text: string, phrases: readonly string[]): boolean {
  return normaliseText(text).match(listPattern(phrases)) !== null;
}
