// Starts the library loader's worker thread. Its code is TypeScript, which the thread cannot load
// by itself: the server runs under tsx (and tests under vitest), whose loaders a worker does not
// reliably inherit, so the thread registers tsx's own, then loads the code.
import { register } from "tsx/esm/api";

register();
await import("./library-load-worker.ts");
