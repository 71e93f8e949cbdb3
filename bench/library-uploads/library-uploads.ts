// How long a hostile library upload takes to validate, and how long it holds up other requests:
// a scenario of 25,000 keys (the file an outside review used: its duplicate-key check took 25 s)
// and a flat list of 125,000 items (the slowest shape for the YAML parser found), each validated
// on its own, then uploaded to the real app (in process, through inject, on PGlite) while a
// client asks /health as fast as it is answered. Prints the figures. Not a test.
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { migrateDatabase, openDatabase } from "@spar/db";
import { loadLibrary, type SourceFile } from "@spar/domain";
import { buildApp } from "@spar/server";
import { loadConfig } from "@spar/server/env";

export const uploads = {
  "25,000 keys": Array.from({ length: 25_000 }, (_, index) => `k${index.toString(36)}: v`).join("\n"),
  "a flat list of 125,000 items": `id: x\nrules: [${Array(125_000).fill("1").join(",")}]\n`,
};
type Upload = keyof typeof uploads;

export interface UploadFigures {
  /** Validating the file alone, in this thread, best and median of five. */
  validateMs: Record<Upload, { best: number; median: number; bytes: number; firstIssue: string }>;
  /** Validating the whole shipped library, which every publish does (on the worker thread). */
  libraryMs: { best: number; median: number; files: number };
  /** The longest wait between two /health answers: with no upload, and during each upload (three tries each). */
  healthWaitMs: { idle: number[] } & Record<Upload, number[]>;
  /** How long the server's event loop ran (rather than waited) while each upload was answered alone (three tries). */
  busyMs: Record<Upload, number[]>;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

async function timed(rounds: number, run: () => Promise<unknown>): Promise<{ best: number; median: number }> {
  const times: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  return { best: Math.min(...times), median: median(times) };
}

async function shippedLibrary(dir: string): Promise<SourceFile[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((entry) => entry.isFile() && entry.name.endsWith(".yaml")).map((entry) => path.join(entry.parentPath, entry.name));
  return Promise.all(files.map(async (file) => ({ path: path.relative(dir, file), text: await readFile(file, "utf8") })));
}

export async function libraryUploadsRun(): Promise<UploadFigures> {
  const validateMs = {} as UploadFigures["validateMs"];
  for (const [name, text] of Object.entries(uploads) as [Upload, string][]) {
    const { issues } = await loadLibrary([{ path: "bench/bench.scenario.yaml", text }]);
    validateMs[name] = { ...(await timed(5, () => loadLibrary([{ path: "bench/bench.scenario.yaml", text }]))), bytes: Buffer.byteLength(text), firstIssue: issues[0]?.message ?? "none" };
  }
  const config = loadConfig({ SPAR_ENV: "test", LOG_LEVEL: "silent", SPAR_SCORING_WORKER: "off", SPAR_DEMO: "off", SPAR_MAX_EVENT_LOOP_DELAY_MS: "0" });
  const library = await shippedLibrary(config.library.dir);
  const libraryMs = { ...(await timed(5, () => loadLibrary(library))), files: library.length };

  const scratch = await mkdtemp(path.join(os.tmpdir(), "spar-upload-bench-"));
  const database = await openDatabase({ kind: "pglite", dataDir: scratch });
  try {
    await migrateDatabase(database);
    const { app } = await buildApp({ config, database, logger: false });
    const setup = await app.inject({ method: "POST", url: "/api/setup/admin", payload: { name: "Bench Admin", email: "admin@bench.example", password: "a long bench passphrase" } });
    if (setup.statusCode !== 201) throw new Error(`could not create the admin: ${setup.body}`);
    const cookie = String(setup.headers["set-cookie"]).split(";")[0] as string;
    const publish = (text: string) =>
      app.inject({ method: "POST", url: "/api/library/files", headers: { cookie }, payload: { path: "bench/bench.scenario.yaml", text } });

    /** Asks /health again as soon as it is answered until `until` settles; the longest gap between answers. */
    const slowestHealth = async (until: Promise<unknown>) => {
      let done = false;
      void until.finally(() => {
        done = true;
      });
      let slowest = 0;
      let last = performance.now();
      while (!done) {
        await new Promise((resolve) => setImmediate(resolve));
        await app.inject({ method: "GET", url: "/health" });
        const now = performance.now();
        slowest = Math.max(slowest, now - last);
        last = now;
      }
      return slowest;
    };
    await publish("id: warm-up\n");
    const healthWaitMs = { idle: [] as number[] } as UploadFigures["healthWaitMs"];
    for (let round = 0; round < 3; round++) healthWaitMs.idle.push(await slowestHealth(new Promise((resolve) => setTimeout(resolve, 1_500))));
    const busyMs = {} as UploadFigures["busyMs"];
    for (const [name, text] of Object.entries(uploads) as [Upload, string][]) {
      healthWaitMs[name] = [];
      for (let round = 0; round < 3; round++) healthWaitMs[name].push(await slowestHealth(publish(text)));
      busyMs[name] = [];
      for (let round = 0; round < 3; round++) {
        const before = performance.eventLoopUtilization();
        await publish(text);
        busyMs[name].push(performance.eventLoopUtilization(before).active);
      }
    }
    await app.close();
    return { validateMs, libraryMs, healthWaitMs, busyMs };
  } finally {
    await database.close();
    await rm(scratch, { recursive: true, force: true });
  }
}

export function describeUploads(figures: UploadFigures): string {
  const list = (values: number[]) => values.map((value) => `${value.toFixed(0)}`).join(" / ");
  return [
    ...Object.entries(figures.validateMs).map(
      ([name, each]) => `  validate ${name} (${(each.bytes / 1024).toFixed(0)} KiB) alone: best ${each.best.toFixed(0)} ms, median ${each.median.toFixed(0)} ms ("${each.firstIssue}")`,
    ),
    `  validate the shipped library (${figures.libraryMs.files} files), as every publish does: best ${figures.libraryMs.best.toFixed(0)} ms, median ${figures.libraryMs.median.toFixed(0)} ms`,
    `  longest /health wait, no upload: ${list(figures.healthWaitMs.idle)} ms`,
    ...Object.keys(uploads).map((name) => `  longest /health wait while uploading ${name}: ${list(figures.healthWaitMs[name as Upload])} ms`),
    ...Object.keys(uploads).map((name) => `  server thread busy while answering an upload of ${name}: ${list(figures.busyMs[name as Upload])} ms`),
  ].join("\n");
}

// Run directly (npx tsx bench/library-uploads/library-uploads.ts) rather than imported by the whole benchmark.
if (import.meta.url === `file://${process.argv[1]}`) {
  libraryUploadsRun().then(
    (figures) => {
      console.log(describeUploads(figures));
      process.exit(0);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
