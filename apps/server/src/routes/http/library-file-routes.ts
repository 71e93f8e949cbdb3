import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileKind, loadLibrary } from "@spar/domain";
import { LibraryFile, PublishLibraryFileRequest, PublishLibraryFileResponse } from "@spar/protocol";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { readLibraryFiles } from "../../library/library-files.ts";
import type { LibraryHolder } from "../../library/library-holder.ts";

/**
 * The library for L&D authors in the browser: every file's source (they hold what personas hide,
 * so L&D admins only), and publishing an edit, validated exactly as `spar scenarios check` does
 * against the rest of the library. A file with errors is never written.
 */
export const libraryFileRoutes: FastifyPluginAsyncZod<{ library: LibraryHolder; dir: string; baseDir: string }> = async (app, { library, dir, baseDir }) => {
  /** Library entries name their files relative to `baseDir`; here paths are relative to the library. */
  const inLibrary = (file: string) => path.relative(dir, path.resolve(baseDir, file));
  app.get("/api/library/files", { config: { access: ["ld_admin"] }, schema: { response: { 200: z.object({ files: z.array(LibraryFile) }) } } }, async () => {
    const files = await readLibraryFiles([dir], dir);
    const entries = [...library.library.scenarios.values(), ...library.library.rubrics.values(), ...library.library.examples];
    return {
      files: files.flatMap((file) => {
        const kind = fileKind(file.path);
        if (!kind) return [];
        const entry = entries.find((each) => inLibrary(each.file) === file.path);
        const value = entry?.value as { id?: string; title?: string; version?: number; scenario?: string } | undefined;
        return [
          {
            path: file.path,
            kind,
            id: value?.id ?? value?.scenario ?? null,
            title: value?.title ?? null,
            version: value?.version ?? null,
            contentHash: entry?.contentHash ?? null,
            text: file.text,
          },
        ];
      }),
    };
  });

  app.post(
    "/api/library/files",
    { config: { access: ["ld_admin"] }, bodyLimit: 300 * 1024, schema: { body: PublishLibraryFileRequest, response: { 200: PublishLibraryFileResponse } } },
    async (request) => {
      const { path: relative, text } = request.body;
      const others = (await readLibraryFiles([dir], dir)).filter((file) => file.path !== relative);
      const { issues } = await loadLibrary([...others, { path: relative, text }]);
      const errors = issues.filter((issue) => issue.severity !== "warning").map((issue) => ({ ...issue, severity: "error" as const }));
      if (errors.length > 0) return { published: false, issues: errors };
      const target = path.resolve(dir, relative);
      if (!target.startsWith(`${path.resolve(dir)}${path.sep}`)) return { published: false, issues: [{ severity: "error" as const, file: relative, line: 1, column: 1, path: "", message: "the path leaves the library" }] };
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, text);
      await library.load();
      return { published: true, issues: library.status().issues };
    },
  );
};
