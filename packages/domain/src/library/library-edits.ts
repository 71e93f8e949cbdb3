import { checkLibrary, type LibraryCheck } from "./library.ts";
import type { PublishedFile } from "./library-publications.ts";
import type { LibraryEdit } from "./publish-library.ts";

/**
 * One file written (added or replaced), validated against the other files of the publication it
 * lands on, exactly as `spar scenarios check` validates a library: any error refuses the edit.
 * Messages name the file by its path in the library.
 */
export function writeOneFile(file: PublishedFile, check: LibraryCheck = checkLibrary): LibraryEdit {
  return async (current) => {
    const others = (current?.files ?? []).filter((each) => each.path !== file.path);
    const files = [...others, file];
    const issues = await check(files);
    const errors = issues.filter((issue) => issue.severity !== "warning");
    return errors.length > 0 ? { kind: "refused", issues: errors } : { kind: "files", files };
  };
}

/** The whole library replaced by these files (already checked by the caller, e.g. the CLI). */
export function replaceAllFiles(files: readonly PublishedFile[]): LibraryEdit {
  return () => ({ kind: "files", files });
}
