import { z } from "zod";
import { documentText, text } from "./text.ts";
import { LibraryIssueView } from "./scenarios.ts";

export const LibraryFile = z.object({
  /** Relative to the library folder, e.g. `missed-deadline/missed-deadline.scenario.yaml`. */
  path: z.string(),
  kind: z.enum(["scenario", "rubric", "example"]),
  id: z.string().nullable(),
  title: z.string().nullable(),
  version: z.number().int().nullable(),
  contentHash: z.string().nullable(),
  text: z.string(),
});
export type LibraryFile = z.infer<typeof LibraryFile>;

/**
 * Names a library file may have wherever it is written (the database, a folder `spar scenarios
 * export` fills, any file system): short, lower-case letters, digits and dashes, no way out of the
 * library. Far inside every file system's limits (255 bytes a name), so a name that passes here
 * never fails on disk.
 */
export const libraryPathLimits = { maxLength: 200, maxNameLength: 64, maxFolders: 3 };

const kindEnding = /\.(scenario|rubric|example)\.yaml$/;
const example = "like my-scenario/my-scenario.scenario.yaml";

/** Why a path cannot name a library file, in words for the author; null when it can. */
export function libraryPathProblem(path: string): string | null {
  const { maxLength, maxNameLength, maxFolders } = libraryPathLimits;
  if (path.length === 0) return `give the file's path in the library, ${example}`;
  if (path.length > maxLength) return `a library path has at most ${maxLength} characters; this one has ${path.length}`;
  const parts = path.split("/");
  if (parts.some((part) => part === "" || part === "." || part === "..")) return `the path must stay inside the library, ${example} (no empty, "." or ".." parts)`;
  if (parts.length > maxFolders + 1) return `a library file sits at most ${maxFolders} folders deep; this one is ${parts.length - 1} deep`;
  const file = parts.at(-1) ?? "";
  if (!kindEnding.test(file)) return `name library files *.scenario.yaml, *.rubric.yaml or *.example.yaml (this one is "${file.slice(0, 40)}")`;
  for (const name of [...parts.slice(0, -1), file.replace(kindEnding, "")]) {
    if (name.length > maxNameLength) return `a folder or file name has at most ${maxNameLength} characters; "${name.slice(0, 20)}…" has ${name.length}`;
    if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) return `use lower-case letters, digits and dashes in library names, starting with a letter or digit ("${name.slice(0, 40)}" has others)`;
  }
  return null;
}

export const LibraryPath = text().check(
  z.superRefine<string>((path, context) => {
    const problem = libraryPathProblem(path);
    if (problem) context.addIssue({ code: "custom", message: problem, input: path });
  }),
);

export const PublishLibraryFileRequest = z.object({
  path: LibraryPath,
  text: documentText().max(256 * 1024),
});

export const PublishLibraryFileResponse = z.object({
  published: z.boolean(),
  issues: z.array(LibraryIssueView),
});
