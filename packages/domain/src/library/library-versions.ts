import type { Library } from "./library.ts";

/**
 * Every version of every scenario and rubric the server has loaded, kept so that an old session
 * always shows the exact text it was practised and scored against.
 */
export interface LibraryVersions {
  /** Stores the versions not seen before; returns how many were new. */
  record(library: Library): Promise<number>;
}
