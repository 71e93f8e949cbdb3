import type { PublishedFile } from "./library-publications.ts";

/** What one set of library files changes in another, path by path. */
export interface LibraryChanges {
  added: string[];
  changed: string[];
  removed: string[];
}

export function compareLibraryFiles(before: readonly PublishedFile[], after: readonly PublishedFile[]): LibraryChanges {
  const previous = new Map(before.map((file) => [file.path, file.text]));
  const next = new Map(after.map((file) => [file.path, file.text]));
  const byPath = (paths: Iterable<string>) => [...paths].sort();
  return {
    added: byPath([...next.keys()].filter((path) => !previous.has(path))),
    changed: byPath([...next].filter(([path, text]) => previous.has(path) && previous.get(path) !== text).map(([path]) => path)),
    removed: byPath([...previous.keys()].filter((path) => !next.has(path))),
  };
}

/** Every path the changes touch, sorted. */
export function changedPaths(changes: LibraryChanges): string[] {
  return [...changes.added, ...changes.changed, ...changes.removed].sort();
}

/** Files sorted by path, the order publications keep them in, so equal libraries compare equal. */
export function sortedFiles(files: readonly PublishedFile[]): PublishedFile[] {
  return [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
