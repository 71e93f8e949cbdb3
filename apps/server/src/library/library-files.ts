import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { type PublishedFile, type SourceFile, sourceLimits } from "@spar/domain";

/**
 * Reads library files: each path is a YAML file or a directory searched recursively for them.
 * Paths in messages are relative to `baseDir`, so errors read `scenarios/x/x.scenario.yaml:3:1`.
 */
export async function readLibraryFiles(paths: readonly string[], baseDir: string): Promise<SourceFile[]> {
  const files: string[] = [];
  for (const given of paths) {
    const absolute = path.resolve(baseDir, given);
    const info = await stat(absolute).catch(() => null);
    if (!info) throw new Error(`${given}: no such file or directory`);
    if (info.isDirectory()) {
      const entries = await readdir(absolute, { recursive: true, withFileTypes: true });
      files.push(
        ...entries
          .filter((entry) => entry.isFile() && /\.ya?ml$/.test(entry.name) && !entry.parentPath.includes("node_modules"))
          .map((entry) => path.join(entry.parentPath, entry.name)),
      );
    } else {
      files.push(absolute);
    }
  }
  const unique = [...new Set(files)].sort();
  return Promise.all(unique.map((file) => readOne(file, baseDir)));
}

async function readOne(file: string, baseDir: string): Promise<SourceFile> {
  const relative = path.relative(baseDir, file);
  const { size } = await stat(file);
  // An oversized file is refused by the loader; reading all of it first would defeat the limit.
  if (size > sourceLimits.maxBytes) return { path: relative, text: "", byteLength: size };
  return { path: relative, text: await readFile(file, "utf8") };
}

/**
 * The library folder's files as a publication holds them: paths relative to the folder, with `/`.
 * A file over the size limit is left out and named in `oversized`: the loader would refuse it anyway.
 */
export async function readPublishableFiles(dir: string): Promise<{ files: PublishedFile[]; oversized: string[] }> {
  const read = await readLibraryFiles([dir], dir);
  return {
    files: read.filter((file) => file.byteLength === undefined).map((file) => ({ path: file.path.split(path.sep).join("/"), text: file.text })),
    oversized: read.filter((file) => file.byteLength !== undefined).map((file) => file.path),
  };
}
