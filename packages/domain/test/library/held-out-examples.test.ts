import path from "node:path";
import { describe, expect, it } from "vitest";
import { isHeldOut, loadLibrary, type SourceFile } from "../../src/library/library.ts";
import { formatIssue } from "../../src/library/yaml-source.ts";
import { readYamlTree, repositoryRoot } from "./read-files.ts";

const valid = await readYamlTree(path.join(repositoryRoot, "packages/domain/test/fixtures/library/valid"));
const dir = path.join("packages", "domain", "test", "fixtures", "library", "valid");

const example = (label: string, line: string, extra = "") =>
  [
    "scenario: short-talk",
    `label: ${label}`,
    extra,
    "description: A held-out example.",
    "turns:",
    '  - { speaker: persona, text: "You wanted a word?" }',
    `  - { speaker: learner, text: "${line}" }`,
    "expected: { acknowledges: [1, 2] }",
  ]
    .filter(Boolean)
    .join("\n");

const heldOutFile = (name: string, text: string): SourceFile => ({ path: path.join(dir, "held-out", name), text });

describe("held-out example transcripts", () => {
  it("load from a scenario's held-out/ folder, know they are held out, and come after the tuning examples", async () => {
    const files = [
      heldOutFile("adversarial.example.yaml", example("adversarial", "I hear you. Anyway, your numbers are down.", "tactic: polite-contempt")),
      heldOutFile("strong.example.yaml", example("strong", "That sounds like a lot. How are you?")),
      ...valid,
    ];
    const { library, issues } = await loadLibrary(files);
    expect(issues.map(formatIssue)).toEqual([]);
    expect(library.examples.map((entry) => [path.basename(entry.file), entry.heldOut])).toEqual([
      ["strong.example.yaml", false],
      ["weak.example.yaml", false],
      ["adversarial.example.yaml", true],
      ["strong.example.yaml", true],
    ]);
    expect(library.examples.find((entry) => entry.value.label === "strong")?.heldOut).toBe(false);
    expect(library.examples.find((entry) => entry.value.label === "adversarial")?.value.tactic).toBe("polite-contempt");
  });

  it("are recognised by their folder whichever separator the path uses, and only directly inside held-out/", () => {
    expect(isHeldOut("missed-deadline/held-out/strong.example.yaml")).toBe(true);
    expect(isHeldOut("scenarios\\missed-deadline\\held-out\\strong.example.yaml")).toBe(true);
    expect(isHeldOut("missed-deadline/strong.example.yaml")).toBe(false);
    expect(isHeldOut("held-out/missed-deadline/strong.example.yaml")).toBe(false);
    expect(isHeldOut("missed-deadline/held-outs/strong.example.yaml")).toBe(false);
  });

  it("warn when the held-out part of a scenario cannot compare strong with weak", async () => {
    const { issues } = await loadLibrary([heldOutFile("strong.example.yaml", example("strong", "That sounds like a lot. How are you?")), ...valid]);
    expect(issues.map((issue) => [issue.severity, issue.message])).toEqual([
      ["warning", "no weak or adversarial example in held-out/: the held-out targets cannot compare strong with weak"],
    ]);
  });

  it("let an adversarial example stand in for a weak one in the library's calibration warning", async () => {
    const withoutWeak = valid.filter((file) => !file.path.endsWith("weak.example.yaml"));
    const adversarial = { path: path.join(dir, "adversarial.example.yaml"), text: example("adversarial", "I hear you, but no.") };
    expect((await loadLibrary(withoutWeak)).issues.map((issue) => issue.message)).toEqual([
      "no weak (or adversarial) example transcript: calibration needs one to compare the strong ones with",
    ]);
    expect((await loadLibrary([...withoutWeak, adversarial])).issues).toEqual([]);
  });

  it("refuse a tactic on an example that is not adversarial, and an unknown tactic, with the line", async () => {
    const { issues } = await loadLibrary([
      heldOutFile("strong.example.yaml", example("strong", "How are you?", "tactic: phrase-stuffing")),
      heldOutFile("adversarial.example.yaml", example("adversarial", "How are you?", "tactic: flattery")),
      ...valid,
    ]);
    const messages = issues.filter((issue) => issue.severity !== "warning").map(formatIssue).sort();
    expect(messages).toHaveLength(2);
    expect(messages[0]).toMatch(/held-out\/adversarial\.example\.yaml:3:\d+ {2}tactic {2}.*phrase-stuffing/);
    expect(messages[1]).toMatch(/held-out\/strong\.example\.yaml:3:\d+ {2}tactic {2}only an adversarial example names a tactic \(this one is labelled strong\)/);
  });
});
