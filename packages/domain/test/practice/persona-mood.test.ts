import path from "node:path";
import { describe, expect, it } from "vitest";
import { initialPersonaState } from "../../src/conversation/persona-state.ts";
import { loadLibrary } from "../../src/library/library.ts";
import { Scenario } from "../../src/library/scenario-schema.ts";
import { formatIssue } from "../../src/library/yaml-source.ts";
import { moodOf, showsMood, visibleMood } from "../../src/practice/persona-mood.ts";
import { readYamlTree, repositoryRoot } from "../library/read-files.ts";

const valid = await readYamlTree(path.join(repositoryRoot, "packages/domain/test/fixtures/library/valid"));
const scenarioFile = valid.find((file) => file.path.endsWith("short-talk.scenario.yaml"));
if (!scenarioFile) throw new Error("the valid fixture library has no short-talk scenario");

/** The fixture scenario with extra top-level lines added after its estimated_minutes. */
const withLines = (...lines: string[]) => ({
  ...scenarioFile,
  text: scenarioFile.text.replace(/^estimated_minutes: .*$/m, (line) => [line, ...lines].join("\n")),
});

async function shortTalk(...lines: string[]) {
  const { library, issues } = await loadLibrary([withLines(...lines), ...valid.filter((file) => file !== scenarioFile)]);
  return { scenario: library.scenarios.get("short-talk")?.value, issues };
}

describe("the persona's mood as the learner may see it", () => {
  it("is off unless the scenario turns it on", async () => {
    const { scenario } = await shortTalk();
    expect(scenario?.show_mood).toBe(false);
    expect(scenario && showsMood(scenario)).toBe(false);
    const shown = await shortTalk("show_mood: true");
    expect(shown.scenario && showsMood(shown.scenario)).toBe(true);
    expect(shown.issues).toEqual([]);
  });

  it("is never shown in an assessment, and the library says the setting does nothing there", async () => {
    const { scenario, issues } = await shortTalk("show_mood: true", "assessment: { max_attempts: 2 }");
    expect(scenario?.assessment?.max_attempts).toBe(2);
    expect(scenario && showsMood(scenario)).toBe(false);
    expect(scenario && visibleMood(scenario, { trust: 4, resistance: 5 })).toBeUndefined();
    expect(issues.map((issue) => [issue.severity, formatIssue(issue)])).toEqual([
      ["warning", expect.stringMatching(/short-talk\.scenario\.yaml:9:\d+ {2}show_mood {2}warning: an assessment never shows the persona.s mood/)],
    ]);
  });

  it("is trust and resistance only, from the state the persona carries", async () => {
    const { scenario } = await shortTalk("show_mood: true");
    if (!scenario) throw new Error("short-talk did not load");
    const state = { ...initialPersonaState(scenario), revealed: ["secret"], learnerTurns: 3 };
    expect(moodOf(state)).toEqual({ trust: 4, resistance: 5 });
    expect(visibleMood(scenario, moodOf(state))).toEqual({ trust: 4, resistance: 5 });
    // A turn stored before the mood was kept has none to show.
    expect(visibleMood(scenario, null)).toBeUndefined();
  });

  it("is described for authors in the schema their editor reads", () => {
    expect(Scenario.shape.show_mood.description).toMatch(/trust and resistance.*never in an assessment/);
  });
});
