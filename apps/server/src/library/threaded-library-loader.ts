import { Worker } from "node:worker_threads";
import type { LibraryIssue, LoadedLibrary, SourceFile } from "@spar/domain";

/**
 * Loads (parses and validates) library files on a worker thread, so that a large or hostile upload,
 * or the whole library checked again on every publish, never holds up the requests and practice
 * sockets this process serves: the event loop only hands the files over and takes the result.
 * One thread, started on first use and kept while the server runs; requests queue on it.
 */
export class ThreadedLibraryLoader {
  #worker: Worker | null = null;
  #nextId = 1;
  readonly #pending = new Map<number, { resolve: (loaded: LoadedLibrary) => void; reject: (error: Error) => void }>();

  /** The loader as the domain takes it (`LibraryLoad`). */
  readonly load = (files: readonly SourceFile[]): Promise<LoadedLibrary> => this.#request(files, false);

  /**
   * Only the problems (`LibraryCheck`), for deciding whether a publish may go ahead: the library
   * itself is not copied back, which keeps even that copying off this thread.
   */
  readonly check = async (files: readonly SourceFile[]): Promise<LibraryIssue[]> => (await this.#request(files, true)).issues;

  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = null;
    await worker?.terminate();
  }

  #request(files: readonly SourceFile[], issuesOnly: boolean): Promise<LoadedLibrary> {
    const worker = this.#started();
    const id = this.#nextId++;
    return new Promise<LoadedLibrary>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      // Held open only while something waits on it, so it never keeps a process from ending.
      worker.ref();
      worker.postMessage({ id, files, issuesOnly });
    });
  }

  #started(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(new URL("./library-load-worker.mjs", import.meta.url), { execArgv: [] });
    worker.unref();
    worker.on("message", ({ id, loaded, error }: { id: number; loaded?: LoadedLibrary; error?: string }) => {
      const waiting = this.#pending.get(id);
      this.#pending.delete(id);
      if (this.#pending.size === 0) worker.unref();
      if (!waiting) return;
      if (loaded) waiting.resolve(loaded);
      else waiting.reject(new Error(`loading the library failed: ${error}`));
    });
    // A thread that died takes its waiting loads with it; the next load starts a new one.
    const fail = (error: Error) => {
      if (this.#worker === worker) this.#worker = null;
      for (const [id, waiting] of this.#pending) {
        this.#pending.delete(id);
        waiting.reject(error);
      }
    };
    worker.on("error", fail);
    worker.on("exit", (code) => fail(new Error(`the library loader's thread stopped (exit code ${code})`)));
    this.#worker = worker;
    return worker;
  }
}
