import type { ExampleTranscript } from "../library/example-schema.ts";
import { isHeldOut, type Library, type LibraryEntry } from "../library/library.ts";
import type { Rubric } from "../library/rubric-schema.ts";

const labelOrder: readonly ExampleTranscript["label"][] = ["strong", "weak", "mixed"];

/**
 * The worked examples a judge sees for a rubric: example transcripts of scenarios scored on it,
 * with their expected levels. At most `count`, a strong one, a weak one, then a mixed one (or
 * the next in file order), chosen by file path alone, so every transcript scored on the rubric
 * gets the same examples and the prompt prefix stays cacheable. Examples in a `held-out` folder
 * are never chosen (they measure the judge), nor examples whose expected levels do not name
 * exactly this rubric's criteria (written for another version of it).
 */
export function judgeExamplesFor(library: Library, rubric: Rubric, count = 3): LibraryEntry<ExampleTranscript>[] {
  const criteria = rubric.criteria.map((criterion) => criterion.id).sort();
  const eligible = library.examples
    .filter((example) => library.scenarios.get(example.value.scenario)?.value.rubric === rubric.id)
    // Held-out examples measure the judge; one is never shown to it.
    .filter((example) => !example.heldOut && !isHeldOut(example.file))
    .filter((example) => JSON.stringify(Object.keys(example.value.expected).sort()) === JSON.stringify(criteria))
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const chosen: LibraryEntry<ExampleTranscript>[] = [];
  for (const label of labelOrder) {
    const example = eligible.find((each) => each.value.label === label);
    if (example) chosen.push(example);
  }
  for (const example of eligible) if (!chosen.includes(example)) chosen.push(example);
  return chosen.slice(0, count);
}
