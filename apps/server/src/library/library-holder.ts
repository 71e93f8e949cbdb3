import { randomUUID } from "node:crypto";
import path from "node:path";
import {
  type Clock,
  compareLibraryFiles,
  type Library,
  type LibraryIssue,
  type LibraryLoad,
  type LibraryPublication,
  type LibraryPublications,
  type LibraryVersions,
  loadLibrary,
  type PublishedFile,
  publishLibrary,
} from "@spar/domain";
import type { LibraryStatus } from "@spar/protocol";
import type { FastifyBaseLogger } from "fastify";
import { readPublishableFiles } from "./library-files.ts";

const emptyLibrary: Library = { scenarios: new Map(), rubrics: new Map(), examples: [] };

export interface LibraryHolderDeps {
  /** The library folder: the first publication's files, and compared with the latest at start. */
  dir: string;
  /** Library entries name their files relative to this, so messages read `scenarios/x/x.scenario.yaml`. */
  baseDir: string;
  publications: LibraryPublications;
  versions: LibraryVersions;
  clock: Clock;
  log: Pick<FastifyBaseLogger, "info" | "warn" | "error">;
  /** How files become a library: in this thread by default, on a worker thread in the server. */
  load?: LibraryLoad;
}

/**
 * The scenario library this process practises on: the latest publication in the database, so
 * every process serves the same library whichever one published it. Each load records the
 * scenario and rubric versions it holds, so sessions can pin the exact text they ran on.
 * A publication that loads with errors (possible only for the first one, taken from the folder as
 * it is, or one published by a newer release with other rules) is not swapped in after the
 * first: practice keeps the library it had, and the errors show on /api/library/status.
 */
export class LibraryHolder {
  #library: Library = emptyLibrary;
  #publication: LibraryPublication | null = null;
  #issues: LibraryIssue[] = [];
  #folderIssues: LibraryIssue[] = [];
  #loadedAt = new Date(0);
  /** A publication that failed to load: not tried again until a newer one exists. */
  #refusedSeq = 0;
  /** Loads run one at a time, so the served seq never goes backwards. */
  #loads: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: LibraryHolderDeps) {}

  get library(): Library {
    return this.#library;
  }

  /** The files of the publication served, paths relative to the library folder. */
  get files(): readonly PublishedFile[] {
    return this.#publication?.files ?? [];
  }

  /** The seq of the publication served (0 before the first load). */
  get seq(): number {
    return this.#publication?.seq ?? 0;
  }

  /** A publication path as library entries name the file (relative to `baseDir`). */
  entryPath(libraryPath: string): string {
    return path.join(path.relative(this.deps.baseDir, this.deps.dir), libraryPath);
  }

  status(): LibraryStatus {
    const served = this.#publication;
    return {
      loadedAt: this.#loadedAt.toISOString(),
      scenarios: this.#library.scenarios.size,
      rubrics: this.#library.rubrics.size,
      examples: this.#library.examples.length,
      issues: (this.#folderIssues.length > 0 ? this.#folderIssues : this.#issues).map((issue) => ({ ...issue, severity: issue.severity ?? "error" })),
      publication: served ? { seq: served.seq, publishedAt: served.publishedAt.toISOString(), origin: served.origin } : null,
    };
  }

  /**
   * At start: serves the latest publication. With none yet, the library folder's files become the
   * first (two processes starting at once: the primary key takes one, the other serves it). When the
   * folder differs from the latest publication it says so and serves the publication all the same:
   * an edit made in the browser is never overwritten by files nobody published.
   */
  async start(): Promise<void> {
    const { dir, publications, log } = this.deps;
    const folder = await readPublishableFiles(dir).catch(() => null);
    for (const file of folder?.oversized ?? []) log.warn({ file }, "library: the file is over the size limit and is left out");
    const latest = await publications.latest();
    if (!latest) {
      if (!folder) throw new Error(`${dir}: no such directory, and no library has been published yet`);
      const outcome = await publishLibrary(this.deps, (current) => ({ kind: "files", files: current?.files ?? folder.files }), {
        origin: "files",
        publishedById: null,
      });
      if (outcome.kind === "published") log.info({ seq: outcome.publication.seq, files: outcome.publication.files.length, dir }, "published the library folder as the first library");
    } else if (!folder) {
      log.info({ seq: latest.seq, dir }, "no library folder here: serving the published library");
    } else {
      const changes = compareLibraryFiles(latest.files, folder.files);
      const differing = [...changes.added, ...changes.changed, ...changes.removed];
      if (differing.length > 0) {
        log.warn(
          { seq: latest.seq, dir, ...changes },
          `the library folder differs from the published library (publication ${latest.seq}: ${changes.added.length} added, ` +
            `${changes.changed.length} changed, ${changes.removed.length} removed in the folder); serving the publication. ` +
            "`spar scenarios publish` publishes the folder; `spar scenarios export <dir>` writes the publication to files",
        );
      }
    }
    // Before the server serves anything nothing waits on this thread, so the first load runs here:
    // a process (or a test) that never sees a publish never starts the loader's thread.
    await this.#refresh(loadLibrary);
    if (!this.#publication) throw new Error("no library publication could be loaded");
  }

  /** Serves the latest publication if it is newer than the one served; true when it swapped one in. */
  refresh(): Promise<boolean> {
    return this.#refresh(this.deps.load ?? loadLibrary);
  }

  #refresh(loadFiles: LibraryLoad): Promise<boolean> {
    const load = this.#loads.then(async () => {
      const latestSeq = await this.deps.publications.latestSeq();
      if (latestSeq <= this.seq || latestSeq === this.#refusedSeq) return false;
      const latest = await this.deps.publications.latest();
      return latest ? this.#serve(latest, loadFiles) : false;
    });
    this.#loads = load.catch(() => undefined);
    return load;
  }

  /**
   * Problems in the library folder that kept a watched edit from being published: shown on
   * /api/library/status instead of the served publication's until the folder is clean again.
   */
  reportFolderIssues(issues: LibraryIssue[]): void {
    this.#folderIssues = issues;
  }

  /** Loads one publication; its log lines share a `libraryLoad` id, so one load's issues read together. */
  async #serve(publication: LibraryPublication, loadFiles: LibraryLoad): Promise<boolean> {
    const { log } = this.deps;
    const libraryLoad = randomUUID();
    const { library, issues } = await loadFiles(publication.files.map((file) => ({ path: this.entryPath(file.path), text: file.text })));
    this.#issues = issues;
    const errors = issues.filter((issue) => issue.severity !== "warning");
    for (const issue of issues) log.warn({ libraryLoad, seq: publication.seq, file: issue.file, line: issue.line, path: issue.path }, `library: ${issue.message}`);
    if (errors.length > 0 && this.#publication) {
      this.#refusedSeq = publication.seq;
      log.error({ libraryLoad, seq: publication.seq, errors: errors.length }, "library publication has errors: keeping the previous library");
      return false;
    }
    const recorded = await this.deps.versions.record(library);
    this.#library = library;
    this.#publication = publication;
    this.#loadedAt = this.deps.clock.now();
    log.info(
      { libraryLoad, seq: publication.seq, origin: publication.origin, scenarios: library.scenarios.size, rubrics: library.rubrics.size, newVersions: recorded, errors: errors.length },
      "library loaded",
    );
    return true;
  }
}
