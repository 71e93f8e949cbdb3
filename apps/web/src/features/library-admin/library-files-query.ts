import { LibraryFile } from "@spar/protocol";
import { z } from "zod";
import { api } from "../../api/client.ts";

const LibraryFiles = z.object({ files: z.array(LibraryFile) });

/** Every file of the published library (L&D only), shared by the pages that list or pick from it. */
export const libraryFilesQuery = {
  queryKey: ["library-files"],
  queryFn: () => api("/api/library/files", LibraryFiles),
};
