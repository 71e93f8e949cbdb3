import path from "node:path";
import { describe, expect, it } from "vitest";
import { type ExampleEntry, isHeldOut, loadLibrary } from "../../src/library/library.ts";
import type { ExampleTranscript } from "../../src/library/example-schema.ts";
import type { Rubric } from "../../src/library/rubric-schema.ts";
import { judgeExamplesFor } from "../../src/scoring/judge-examples.ts";
import { readYamlTree, repositoryRoot } from "../library/read-files.ts";

const { library } = await loadLibrary(await readYamlTree(path.join(repositoryRoot, "scenarios")));
const rubric = library.rubrics.get("difficult-conversations")?.value as Rubric;
// A copy keeps the original's heldOut flag: the path alone must keep a held-out copy from the judge.
const copy = (example: ExampleEntry, file: string, change: Partial<ExampleTranscript> = {}): ExampleEntry => ({
  ...example,
  file,
  value: { ...example.value, ...change },
});

describe("the worked examples a judge is shown", () => {
  it("come from scenarios on the rubric: a strong one, a weak one, then a mixed one, at most three", () => {
    const chosen = judgeExamplesFor(library, rubric);
    expect(chosen.length).toBe(3);
    expect(chosen.map((example) => example.value.label)).toEqual(["strong", "weak", "mixed"]);
    for (const example of chosen) expect(library.scenarios.get(example.value.scenario)?.value.rubric).toBe("difficult-conversations");
    expect(judgeExamplesFor(library, rubric, 2)).toEqual(chosen.slice(0, 2));
  });

  it("are the same whatever order the library lists them in", () => {
    const shuffled = { ...library, examples: [...library.examples].reverse() };
    expect(judgeExamplesFor(shuffled, rubric).map((example) => example.file)).toEqual(judgeExamplesFor(library, rubric).map((example) => example.file));
  });

  it("never include a held-out example, nor one written for another version of the rubric", () => {
    const strong = library.examples.find((example) => example.file === judgeExamplesFor(library, rubric)[0]?.file) as ExampleEntry;
    const heldOut = copy(strong, "scenarios/missed-deadline/held-out/aaa-strong.example.yaml");
    const otherVersion = copy(strong, "scenarios/missed-deadline/aaa-old.example.yaml", { expected: { "names-the-issue": [3, 4] } });
    const only = { ...library, examples: [heldOut, otherVersion] };
    expect(judgeExamplesFor(only, rubric)).toEqual([]);
    expect(isHeldOut("scenarios/x/held-out/strong.example.yaml")).toBe(true);
    expect(isHeldOut("scenarios\\x\\held-out\\strong.example.yaml")).toBe(true);
    expect(isHeldOut("scenarios/held-outside/strong.example.yaml")).toBe(false);
  });
});
