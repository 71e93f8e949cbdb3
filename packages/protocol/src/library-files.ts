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

export const PublishLibraryFileRequest = z.object({
  path: text()
    .regex(/^[a-z0-9][a-z0-9-]*(\/[a-z0-9][a-z0-9.-]*)*\.(scenario|rubric|example)\.yaml$/, {
      message: "use a path inside the library like my-scenario/my-scenario.scenario.yaml",
    }),
  text: documentText().max(256 * 1024),
});

export const PublishLibraryFileResponse = z.object({
  published: z.boolean(),
  issues: z.array(LibraryIssueView),
});
