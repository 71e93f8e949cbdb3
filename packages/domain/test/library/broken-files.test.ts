import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadLibrary } from "../../src/library/library.ts";
import { formatIssue } from "../../src/library/yaml-source.ts";
import { readYamlTree, repositoryRoot } from "./read-files.ts";

// Each broken file states the problems it must produce in `# expect:` comment lines:
// `line:column  field.path  message`, exactly as `spar scenarios check` prints them.
const fixtures = path.join(repositoryRoot, "packages/domain/test/fixtures/library");
const brokenDir = path.join(fixtures, "broken");
const brokenFiles = (await readdir(brokenDir)).sort();

describe("a broken library file", async () => {
  const valid = await readYamlTree(path.join(fixtures, "valid"));

  it("is not needed for the valid fixture library to load cleanly", async () => {
    const { issues, library } = await loadLibrary(valid);
    expect(issues).toEqual([]);
    expect([...library.scenarios.keys()]).toEqual(["short-talk"]);
    expect(library.examples).toHaveLength(2);
  });

  it.each(brokenFiles)("%s gets the right message at the right line", async (name) => {
    const text = await readFile(path.join(brokenDir, name), "utf8");
    const expected = [...text.matchAll(/^# expect: (.+)$/gm)].map((match) => match[1]);
    expect(expected.length).toBeGreaterThan(0);
    const file = path.relative(repositoryRoot, path.join(brokenDir, name));
    const { issues, library } = await loadLibrary([...valid, { path: file, text }]);
    expect(issues.map(formatIssue)).toEqual(expected.map((line) => `${file}:${line}`));
    // The broken file is left out; the good ones still load.
    expect(library.scenarios.has("short-talk")).toBe(true);
    expect(library.rubrics.has("listening")).toBe(true);
  });
});
