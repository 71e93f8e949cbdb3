// The worker thread's side of ThreadedLibraryLoader: loads the files it is sent and answers with
// the library, or with why it could not.
import os from "node:os";
import { parentPort } from "node:worker_threads";
import { loadLibrary, type SourceFile } from "@spar/domain/library-loader";

export interface LoadRequest {
  id: number;
  files: readonly SourceFile[];
  /** Only the issues are wanted: the library stays here rather than being copied back. */
  issuesOnly: boolean;
}

// On Linux a priority belongs to a thread: this one gives way to the thread serving requests when
// the cores are busy. Where that cannot be set, it runs at the usual priority.
try {
  os.setPriority(os.constants.priority.PRIORITY_LOW);
} catch {}

parentPort?.on("message", async ({ id, files, issuesOnly }: LoadRequest) => {
  try {
    const loaded = await loadLibrary(files);
    parentPort?.postMessage({ id, loaded: issuesOnly ? { issues: loaded.issues } : loaded });
  } catch (error) {
    parentPort?.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
