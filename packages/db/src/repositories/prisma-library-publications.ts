import type { LibraryPublication, LibraryPublications, PublishedFile } from "@spar/domain";
import type { PrismaClient } from "../generated/prisma/client.ts";

export class PrismaLibraryPublications implements LibraryPublications {
  constructor(private readonly prisma: PrismaClient) {}

  async latest(): Promise<LibraryPublication | null> {
    const row = await this.prisma.libraryPublication.findFirst({ orderBy: { seq: "desc" } });
    if (!row) return null;
    return {
      seq: row.seq,
      files: readFiles(row.files),
      publishedAt: row.publishedAt,
      publishedById: row.publishedById,
      origin: row.origin,
      changed: row.changed,
    };
  }

  async latestSeq(): Promise<number> {
    const { _max } = await this.prisma.libraryPublication.aggregate({ _max: { seq: true } });
    return _max.seq ?? 0;
  }

  async insert(publication: LibraryPublication): Promise<boolean> {
    // INSERT … ON CONFLICT DO NOTHING: the primary key decides which of two racing publishes
    // takes the seq, and the loser learns it from the count instead of from an error.
    const { count } = await this.prisma.libraryPublication.createMany({
      skipDuplicates: true,
      data: [
        {
          seq: publication.seq,
          files: publication.files.map((file) => ({ path: file.path, text: file.text })),
          publishedAt: publication.publishedAt,
          publishedById: publication.publishedById,
          origin: publication.origin,
          changed: [...publication.changed],
        },
      ],
    });
    return count === 1;
  }
}

/** The stored files, checked: a row edited by hand into another shape fails loudly here. */
function readFiles(stored: unknown): PublishedFile[] {
  if (!Array.isArray(stored)) throw new Error("a library publication's files are not a list");
  return stored.map((file: unknown, index) => {
    const { path, text } = (file ?? {}) as { path?: unknown; text?: unknown };
    if (typeof path !== "string" || typeof text !== "string") throw new Error(`a library publication's file ${index} has no path or text`);
    return { path, text };
  });
}
