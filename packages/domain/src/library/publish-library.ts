import type { Clock } from "../ports/clock.ts";
import { changedPaths, compareLibraryFiles, type LibraryChanges, sortedFiles } from "./library-changes.ts";
import type { LibraryPublication, LibraryPublications, PublicationOrigin, PublishedFile } from "./library-publications.ts";
import type { LibraryIssue } from "./yaml-source.ts";

/** The files a publish proposes, or why it refuses, given the publication it would replace. */
export type LibraryEditResult = { kind: "files"; files: readonly PublishedFile[] } | { kind: "refused"; issues: LibraryIssue[] };

/**
 * A change to the library, applied to the latest publication (null before the first). It may run
 * more than once: when another publish wins the race it is applied again on the new latest, so a
 * browser edit of one file never undoes a file somebody else published meanwhile.
 */
export type LibraryEdit = (current: LibraryPublication | null) => LibraryEditResult | Promise<LibraryEditResult>;

export type PublishOutcome =
  | { kind: "published"; publication: LibraryPublication; changes: LibraryChanges }
  /** The edit leaves the latest publication as it is: nothing was written. */
  | { kind: "unchanged"; publication: LibraryPublication }
  | { kind: "refused"; issues: LibraryIssue[] };

export interface PublishDeps {
  publications: LibraryPublications;
  clock: Clock;
}

/** Gives up when this many publishes in a row came first: far beyond any real contention. */
const maxAttempts = 50;

export class PublishContentionError extends Error {}

/**
 * Publishes an edit as the next publication. Racing publishes are ordered by the statement that
 * writes (the seq is the primary key), never by a check in memory: the loser reads the new latest,
 * applies its edit again, and tries the seq after it.
 */
export async function publishLibrary(
  deps: PublishDeps,
  edit: LibraryEdit,
  by: { origin: PublicationOrigin; publishedById: string | null },
): Promise<PublishOutcome> {
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const current = await deps.publications.latest();
    const result = await edit(current);
    if (result.kind === "refused") return result;
    const files = sortedFiles(result.files);
    const changes = compareLibraryFiles(current?.files ?? [], files);
    const changed = changedPaths(changes);
    if (current && changed.length === 0) return { kind: "unchanged", publication: current };
    const publication: LibraryPublication = { seq: (current?.seq ?? 0) + 1, files, publishedAt: deps.clock.now(), changed, ...by };
    if (await deps.publications.insert(publication)) return { kind: "published", publication, changes };
  }
  throw new PublishContentionError(`the library was published ${maxAttempts} times by others while this publish tried: try again`);
}
