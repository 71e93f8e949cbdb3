import path from "node:path";
import { type AuditLog, fileKind, type LibraryCheck, writeOneFile } from "@spar/domain";
import { LibraryFile, PublishLibraryFileRequest, PublishLibraryFileResponse } from "@spar/protocol";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { LibraryHolder } from "../../library/library-holder.ts";
import { viewerOf } from "../../plugins/access-control.ts";
import type { LibraryPublisher } from "../../library/library-publisher.ts";

/**
 * The library for L&D authors in the browser: every file's source as this process serves it
 * (they hold what personas hide, so L&D admins only), and publishing an edit, validated exactly
 * as `spar scenarios check` does against the rest of the latest publication. A file with errors
 * is never published; a valid one becomes a new publication that every process switches to.
 * Nothing is written to the server's disk: `spar scenarios export` writes the library to files.
 */
export const libraryFileRoutes: FastifyPluginAsyncZod<{ library: LibraryHolder; publisher: LibraryPublisher; dir: string; audit: AuditLog; check: LibraryCheck }> = async (
  app,
  { library, publisher, dir, audit, check },
) => {
  app.get("/api/library/files", { config: { access: ["ld_admin"] }, schema: { response: { 200: z.object({ files: z.array(LibraryFile) }) } } }, async () => {
    const entries = [...library.library.scenarios.values(), ...library.library.rubrics.values(), ...library.library.examples];
    return {
      files: library.files.flatMap((file) => {
        const kind = fileKind(file.path);
        if (!kind) return [];
        const entry = entries.find((each) => each.file === library.entryPath(file.path));
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
      const { path: given, text } = request.body;
      // The folder stands in for the library's root only to judge the path: nothing is written there.
      const target = path.resolve(dir, given);
      if (!target.startsWith(`${path.resolve(dir)}${path.sep}`)) {
        return { published: false, issues: [{ severity: "error" as const, file: given, line: 1, column: 1, path: "", message: "the path leaves the library" }] };
      }
      const libraryPath = path.relative(path.resolve(dir), target).split(path.sep).join("/");
      const viewer = viewerOf(request);
      const outcome = await publisher.publish(writeOneFile({ path: libraryPath, text }, check), { origin: "browser", publishedById: viewer.id });
      if (outcome.kind === "refused") return { published: false, issues: outcome.issues.map((issue) => ({ ...issue, severity: "error" as const })) };
      if (outcome.kind === "published") {
        await audit.record({
          actorId: viewer.id,
          action: "library.published",
          subjectUserId: null,
          resourceType: "library-publication",
          resourceId: String(outcome.publication.seq),
          details: { path: libraryPath, changed: outcome.publication.changed },
        });
      }
      // The announcement reaches this process too; waiting here means the answer reflects the edit.
      await library.refresh();
      return { published: true, issues: library.status().issues };
    },
  );
};
