// Matching authored phrases against what a learner typed: case-insensitive, whole words only
// ("flag" matches "Flag it" but not "flagship"), tolerant of curly quotes and extra spaces.

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export function normaliseText(text: string): string {
  return text.replace(/[‘’ʼ]/g, "'").replace(/[“”]/g, '"').replace(/\s+/g, " ").trim();
}

const cache = new Map<string, RegExp>();

export function phrasePattern(phrase: string): RegExp {
  let pattern = cache.get(phrase);
  if (!pattern) {
    const body = normaliseText(phrase).split(" ").map(escapeRegExp).join("\\s+");
    pattern = new RegExp(`(?<![\\p{L}\\p{N}])${body}(?![\\p{L}\\p{N}])`, "iu");
    cache.set(phrase, pattern);
  }
  return pattern;
}

export function containsAnyPhrase(text: string, phrases: readonly string[]): boolean {
  const normalised = normaliseText(text);
  return phrases.some((phrase) => phrasePattern(phrase).test(normalised));
}
