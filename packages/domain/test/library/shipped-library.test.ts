import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadLibrary } from "../../src/library/library.ts";
import { formatIssue } from "../../src/library/yaml-source.ts";
import { readYamlTree, repositoryRoot } from "./read-files.ts";

describe("the shipped scenario library", async () => {
  const files = await readYamlTree(path.join(repositoryRoot, "scenarios"));
  const { library, issues } = await loadLibrary(files);

  it("validates without a single error or warning", () => {
    expect(issues.map(formatIssue)).toEqual([]);
  });

  it("covers the four families with at least eight scenarios, each with a strong and a weak example", () => {
    const scenarios = [...library.scenarios.values()].map((entry) => entry.value);
    expect(scenarios.length).toBeGreaterThanOrEqual(8);
    expect(new Set(scenarios.map((scenario) => scenario.family))).toEqual(
      new Set(["sales-call", "difficult-conversation", "feedback-delivery", "coaching"]),
    );
    for (const scenario of scenarios) {
      const labels = library.examples.filter((example) => example.value.scenario === scenario.id).map((example) => example.value.label);
      expect(labels, scenario.id).toContain("strong");
      expect(labels, scenario.id).toContain("weak");
    }
  });

  it("has rubrics for the four coaching competencies and the sales and difficult-conversation ones", () => {
    expect([...library.rubrics.keys()].sort()).toEqual([
      "active-listening", "development-planning", "difficult-conversations", "feedback-delivery",
      "objection-handling", "powerful-questioning", "sales-discovery",
    ]);
  });

  it("names each scenario file after its id, in a folder of the same name", () => {
    for (const [id, entry] of library.scenarios) {
      expect(entry.file).toBe(path.join("scenarios", id, `${id}.scenario.yaml`));
    }
  });
});
