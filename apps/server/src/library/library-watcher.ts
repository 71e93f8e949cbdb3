import { watch } from "node:fs";
import { checkLibrary, type LibraryCheck, replaceAllFiles } from "@spar/domain";
import type { FastifyBaseLogger } from "fastify";
import { readPublishableFiles } from "./library-files.ts";
import type { LibraryHolder } from "./library-holder.ts";
import type { LibraryPublisher } from "./library-publisher.ts";

/**
 * Development (SPAR_LIBRARY_WATCH): a change to the library folder that validates is published,
 * so authors editing YAML see it at once, on every process. A change with errors is not
 * published: the errors show in the log and on /api/library/status, and practice goes on with
 * the library it had.
 */
export function watchLibraryFolder(deps: {
  dir: string;
  library: LibraryHolder;
  publisher: LibraryPublisher;
  log: Pick<FastifyBaseLogger, "info" | "warn" | "error">;
  check?: LibraryCheck;
}): { close(): void } {
  const { dir, library, publisher, log, check = checkLibrary } = deps;
  const publishFolder = async () => {
    const { files } = await readPublishableFiles(dir);
    // Checked under the names the served library uses, so messages match /api/library/status.
    const issues = await check(files.map((file) => ({ path: library.entryPath(file.path), text: file.text })));
    const errors = issues.filter((issue) => issue.severity !== "warning");
    if (errors.length > 0) {
      for (const issue of errors) log.warn({ file: issue.file, line: issue.line, path: issue.path }, `library: ${issue.message}`);
      log.error({ errors: errors.length }, "the library folder has errors: not published, keeping the library served");
      library.reportFolderIssues(errors);
      return;
    }
    library.reportFolderIssues([]);
    const outcome = await publisher.publish(replaceAllFiles(files), { origin: "files", publishedById: null });
    if (outcome.kind === "published") log.info({ seq: outcome.publication.seq, changed: outcome.publication.changed }, "published the library folder's change");
    await library.refresh();
  };
  let timer: NodeJS.Timeout | undefined;
  // Published shortly after files stop changing (editors write in several steps).
  const watcher = watch(dir, { recursive: true }, () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      publishFolder().catch((error: unknown) => log.error({ err: error }, "publishing the library folder failed"));
    }, 200);
  });
  return {
    close() {
      clearTimeout(timer);
      watcher.close();
    },
  };
}
