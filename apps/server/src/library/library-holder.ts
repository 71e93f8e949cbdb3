import { randomUUID } from "node:crypto";
import { watch, type FSWatcher } from "node:fs";
import { type Library, type LibraryIssue, type LibraryVersions, loadLibrary } from "@spar/domain";
import type { LibraryStatus } from "@spar/protocol";
import type { FastifyBaseLogger } from "fastify";
import { readLibraryFiles } from "./library-files.ts";

const emptyLibrary: Library = { scenarios: new Map(), rubrics: new Map(), examples: [] };

/**
 * The scenario library the server practises on. Loaded at start; in development it reloads when
 * a file changes. A reload that finds errors keeps the library it had, so a broken edit never
 * takes practice down, and reports the errors in the log and on /api/library/status.
 */
export class LibraryHolder {
  #library: Library = emptyLibrary;
  #issues: LibraryIssue[] = [];
  #loadedAt = new Date(0);
  #watcher: FSWatcher | null = null;

  constructor(
    private readonly dir: string,
    private readonly baseDir: string,
    private readonly versions: LibraryVersions,
    private readonly log: Pick<FastifyBaseLogger, "info" | "warn" | "error">,
  ) {}

  get library(): Library {
    return this.#library;
  }

  status(): LibraryStatus {
    return {
      loadedAt: this.#loadedAt.toISOString(),
      scenarios: this.#library.scenarios.size,
      rubrics: this.#library.rubrics.size,
      examples: this.#library.examples.length,
      issues: this.#issues.map((issue) => ({ ...issue, severity: issue.severity ?? "error" })),
    };
  }

  /**
   * Loads the library; returns false when it had errors (and, after the first load, was not swapped in).
   * Its log lines share a `libraryLoad` id, so one load's issues read together.
   */
  async load(): Promise<boolean> {
    const libraryLoad = randomUUID();
    const { library, issues } = await loadLibrary(await readLibraryFiles([this.dir], this.baseDir));
    this.#issues = issues;
    const errors = issues.filter((issue) => issue.severity !== "warning");
    for (const issue of issues) this.log.warn({ libraryLoad, file: issue.file, line: issue.line, path: issue.path }, `library: ${issue.message}`);
    const first = this.#library === emptyLibrary;
    if (errors.length > 0 && !first) {
      this.log.error({ libraryLoad, errors: errors.length }, "library reload found errors: keeping the previous library");
      return false;
    }
    this.#library = library;
    this.#loadedAt = new Date();
    const recorded = await this.versions.record(library);
    this.log.info(
      { libraryLoad, scenarios: library.scenarios.size, rubrics: library.rubrics.size, newVersions: recorded, errors: errors.length },
      "library loaded",
    );
    return errors.length === 0;
  }

  /** Reloads shortly after files stop changing (editors write in several steps). */
  watch(): void {
    let timer: NodeJS.Timeout | undefined;
    this.#watcher = watch(this.dir, { recursive: true }, () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        this.load().catch((error: unknown) => this.log.error({ err: error }, "library reload failed"));
      }, 200);
    });
  }

  close(): void {
    this.#watcher?.close();
  }
}
