// Publications of the whole library: racing publishes are ordered by the primary key, and each
// loser re-applies its edit on the winner's publication, so no publish undoes another.
import { type LibraryPublication, publishLibrary, replaceAllFiles, systemClock } from "@spar/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PrismaLibraryPublications } from "../src/index.ts";
import { databaseKinds, openTestDatabase, type TestDatabase } from "../src/testing/index.ts";

describe.each(databaseKinds)("library publications on %s", (kind) => {
  let database: TestDatabase;
  let publications: PrismaLibraryPublications;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    publications = new PrismaLibraryPublications(database.prisma);
  });
  afterAll(() => database?.close());

  const deps = () => ({ publications, clock: systemClock });

  it("has no publication at first, then keeps the first one's files and origin", async () => {
    expect(await publications.latest()).toBeNull();
    expect(await publications.latestSeq()).toBe(0);
    const outcome = await publishLibrary(deps(), replaceAllFiles([{ path: "b.yaml", text: "b" }, { path: "a.yaml", text: "a" }]), { origin: "files", publishedById: null });
    expect(outcome).toMatchObject({ kind: "published", publication: { seq: 1 }, changes: { added: ["a.yaml", "b.yaml"], changed: [], removed: [] } });
    expect(await publications.latest()).toMatchObject({
      seq: 1,
      origin: "files",
      publishedById: null,
      changed: ["a.yaml", "b.yaml"],
      files: [{ path: "a.yaml", text: "a" }, { path: "b.yaml", text: "b" }],
    });
    expect(await publications.latestSeq()).toBe(1);
  });

  it("writes nothing when the files equal the latest publication", async () => {
    const outcome = await publishLibrary(deps(), replaceAllFiles([{ path: "a.yaml", text: "a" }, { path: "b.yaml", text: "b" }]), { origin: "cli", publishedById: null });
    expect(outcome).toMatchObject({ kind: "unchanged", publication: { seq: 1 } });
    expect(await publications.latestSeq()).toBe(1);
  });

  it("lets one of two inserts of the same seq win, by the statement that writes", async () => {
    const latest = (await publications.latest()) as LibraryPublication;
    const next = (text: string): LibraryPublication => ({ ...latest, seq: latest.seq + 1, files: [{ path: "a.yaml", text }], changed: ["b.yaml"], origin: "cli", publishedAt: new Date() });
    const results = await Promise.all([publications.insert(next("first")), publications.insert(next("second"))]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await publications.latestSeq()).toBe(latest.seq + 1);
  });

  it("orders racing publishes one after another, and none undoes another's file", async () => {
    const before = await publications.latestSeq();
    // Counts the inserts the primary key refused, to show the race really happened.
    let refused = 0;
    const counting = {
      latest: () => publications.latest(),
      latestSeq: () => publications.latestSeq(),
      insert: async (publication: LibraryPublication) => {
        const inserted = await publications.insert(publication);
        if (!inserted) refused++;
        return inserted;
      },
    };
    const racers = Array.from({ length: 8 }, (_, index) => `racer-${index}.yaml`);
    const outcomes = await Promise.all(
      racers.map((path) =>
        publishLibrary({ publications: counting, clock: systemClock }, (current) => ({ kind: "files", files: [...(current?.files ?? []), { path, text: path }] }), { origin: "browser", publishedById: null }),
      ),
    );
    const seqs = outcomes.map((outcome) => (outcome.kind === "published" ? outcome.publication.seq : null));
    expect([...seqs].sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(racers.map((_, index) => before + index + 1));
    // Each publication changed exactly its racer's file, on top of every publication before it.
    for (const outcome of outcomes) {
      if (outcome.kind !== "published") throw new Error("a racer did not publish");
      expect(outcome.publication.changed).toHaveLength(1);
    }
    expect(refused).toBeGreaterThan(0);
    const latest = await publications.latest();
    expect(latest?.seq).toBe(before + racers.length);
    expect(latest?.files.map((file) => file.path)).toEqual(expect.arrayContaining(racers));
    const stored = await database.prisma.libraryPublication.findMany({ where: { seq: { gt: before } }, orderBy: { seq: "asc" } });
    expect(stored.map((row) => row.changed.length)).toEqual(racers.map(() => 1));
  });
});
