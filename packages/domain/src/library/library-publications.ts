/** One file of a published library: its path inside the library folder (with `/`), and its text. */
export interface PublishedFile {
  path: string;
  text: string;
}

/** The library folder (first start, or a watched edit in development), the browser's editor, or the CLI. */
export type PublicationOrigin = "files" | "browser" | "cli";

/**
 * One published state of the whole library. Every server process serves the latest one, so a
 * publish anywhere reaches every process, and a process started later serves it too.
 */
export interface LibraryPublication {
  /** 1 for the first publication, then one more than the publication it replaced. */
  seq: number;
  /** Every file, sorted by path. */
  files: readonly PublishedFile[];
  publishedAt: Date;
  publishedById: string | null;
  origin: PublicationOrigin;
  /** The paths added, changed or removed since the publication before. */
  changed: readonly string[];
}

/** Where publications are kept; shared by every server process and the CLI. */
export interface LibraryPublications {
  latest(): Promise<LibraryPublication | null>;
  /** The latest publication's seq alone (0 before the first): cheap enough to ask every minute. */
  latestSeq(): Promise<number>;
  /**
   * Writes the publication unless its seq is already taken, in one statement; false when another
   * publish wrote that seq first.
   */
  insert(publication: LibraryPublication): Promise<boolean>;
}
