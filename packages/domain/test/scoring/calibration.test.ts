import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadLibrary } from "../../src/library/library.ts";
import { calibrateScenario } from "../../src/scoring/calibration.ts";
import { offlineScorer } from "../../src/scoring/transcript-scorer.ts";
import { readYamlTree, repositoryRoot } from "../library/read-files.ts";

const { library } = await loadLibrary(await readYamlTree(path.join(repositoryRoot, "scenarios")));

describe("calibration of the shipped library with the offline scorer", () => {
  it.each([...library.scenarios.keys()])("%s meets its thresholds, and its strong examples beat its weak ones", async (id) => {
    const scenario = library.scenarios.get(id);
    const rubric = scenario && library.rubrics.get(scenario.value.rubric);
    if (!scenario || !rubric) throw new Error(`${id} is not in the library`);
    const examples = library.examples.filter((example) => example.value.scenario === id);
    const seen: string[] = [];
    const result = await calibrateScenario(offlineScorer, scenario, rubric, examples, (file) => seen.push(file));
    expect(seen).toHaveLength(examples.length);
    expect(result.strongBeatsWeak).toBe(true);
    expect(result.exactAgreement).toBeGreaterThanOrEqual(scenario.value.calibration.exact_at_least);
    expect(result.withinOneAgreement).toBeGreaterThanOrEqual(scenario.value.calibration.within_one_at_least);
    expect(result.passed).toBe(true);
  });

  it("fails a scenario whose examples expect what the scorer does not give", async () => {
    const fixtures = await loadLibrary(await readYamlTree(path.join(repositoryRoot, "packages/domain/test/fixtures/library/valid")));
    const scenario = fixtures.library.scenarios.get("short-talk");
    const rubric = fixtures.library.rubrics.get("listening");
    if (!scenario || !rubric) throw new Error("fixture library incomplete");
    const bent = fixtures.library.examples.map((example) => ({ ...example, value: { ...example.value, expected: { acknowledges: [4, 4] as [number, number] } } }));
    const result = await calibrateScenario(offlineScorer, scenario, rubric, bent);
    expect(result.passed).toBe(false);
    expect(result.exactAgreement).toBeLessThan(0.5);
  });
});
