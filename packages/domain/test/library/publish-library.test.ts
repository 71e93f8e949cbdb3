// Publishing the library, apart from any database: an in-memory store that takes a seq once,
// the way the primary key does.
import { describe, expect, it } from "vitest";
import path from "node:path";
import {
  compareLibraryFiles,
  type LibraryPublication,
  type LibraryPublications,
  publishLibrary,
  replaceAllFiles,
  systemClock,
  writeOneFile,
} from "../../src/index.ts";
import { readYamlTree, repositoryRoot } from "./read-files.ts";

class InMemoryPublications implements LibraryPublications {
  readonly rows = new Map<number, LibraryPublication>();
  async latest() {
    return this.rows.get(await this.latestSeq()) ?? null;
  }
  async latestSeq() {
    return Math.max(0, ...this.rows.keys());
  }
  async insert(publication: LibraryPublication) {
    if (this.rows.has(publication.seq)) return false;
    this.rows.set(publication.seq, publication);
    return true;
  }
}

const validLibrary = path.relative(repositoryRoot, path.join(import.meta.dirname, "../fixtures/library/valid"));

describe("publishing the library", () => {
  it("compares two sets of files path by path", () => {
    const before = [{ path: "a.yaml", text: "a" }, { path: "b.yaml", text: "b" }, { path: "c.yaml", text: "c" }];
    const after = [{ path: "d.yaml", text: "d" }, { path: "b.yaml", text: "B" }, { path: "c.yaml", text: "c" }];
    expect(compareLibraryFiles(before, after)).toEqual({ added: ["d.yaml"], changed: ["b.yaml"], removed: ["a.yaml"] });
  });

  it("validates one file against the rest of the latest publication, as the CLI does", async () => {
    const publications = new InMemoryPublications();
    const deps = { publications, clock: systemClock };
    const files = (await readYamlTree(validLibrary)).map((file) => ({ path: path.relative(validLibrary, file.path), text: file.text }));
    await publishLibrary(deps, replaceAllFiles(files), { origin: "files", publishedById: null });
    const scenario = files.find((file) => file.path.endsWith(".scenario.yaml"));
    if (!scenario) throw new Error("the fixture library has no scenario");

    const refused = await publishLibrary(deps, writeOneFile({ path: scenario.path, text: scenario.text.replace(/^rubric: .*$/m, "rubric: no-such-rubric") }), { origin: "browser", publishedById: "u1" });
    expect(refused).toMatchObject({ kind: "refused", issues: [expect.objectContaining({ file: scenario.path, path: "rubric" })] });
    expect(await publications.latestSeq()).toBe(1);

    const edited = scenario.text.replace(/^title: .*$/m, "title: Edited");
    const published = await publishLibrary(deps, writeOneFile({ path: scenario.path, text: edited }), { origin: "browser", publishedById: "u1" });
    expect(published).toMatchObject({ kind: "published", publication: { seq: 2, changed: [scenario.path], publishedById: "u1", origin: "browser" } });
    expect((await publications.latest())?.files).toHaveLength(files.length);
  });

  it("applies an edit again on the publication that won the race", async () => {
    const publications = new InMemoryPublications();
    const deps = { publications, clock: systemClock };
    await publishLibrary(deps, replaceAllFiles([{ path: "a.yaml", text: "a" }]), { origin: "files", publishedById: null });
    let applied = 0;
    const outcome = await publishLibrary(
      deps,
      async (current) => {
        applied++;
        // Another publish lands while the first attempt is being prepared.
        if (!current) throw new Error("the first publication is missing");
        if (applied === 1) await publications.insert({ ...current, seq: 2, files: [{ path: "a.yaml", text: "a" }, { path: "other.yaml", text: "o" }], changed: ["other.yaml"] });
        return { kind: "files", files: [...current.files, { path: "mine.yaml", text: "m" }] };
      },
      { origin: "browser", publishedById: null },
    );
    expect(applied).toBe(2);
    expect(outcome).toMatchObject({ kind: "published", publication: { seq: 3, changed: ["mine.yaml"] } });
    expect((await publications.latest())?.files.map((file) => file.path)).toEqual(["a.yaml", "mine.yaml", "other.yaml"]);
  });
});
