// `spar scenarios publish [dir]` and `spar scenarios export <dir>`: the library folder in git and
// the library the servers serve (the latest publication in the database), each way.
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { compareLibraryFiles, type LibraryChanges, replaceAllFiles, systemClock } from "@spar/domain";
import { PrismaLibraryPublications } from "@spar/db";
import { libraryPathProblem } from "@spar/protocol";
import { type EventBus, localEventBus } from "../events/event-bus.ts";
import { connectRedis, redisEventBus } from "../events/redis-event-bus.ts";
import { readLibraryFiles, readPublishableFiles } from "../library/library-files.ts";
import { LibraryPublisher } from "../library/library-publisher.ts";
import { openConfiguredDatabase } from "../start.ts";
import { invocationDir, reportCheck } from "./scenario-commands.ts";

function printChanges(changes: LibraryChanges): void {
  for (const [label, paths] of [["added", changes.added], ["changed", changes.changed], ["removed", changes.removed]] as const) {
    for (const each of paths) console.log(`  ${label.padEnd(8)} ${each}`);
  }
}

/**
 * Checks the folder exactly as `spar scenarios check` does and, when it has no errors, publishes
 * it as the new library. With REDIS_URL the running servers hear of it at once; without, each
 * finds it at its next check, within a minute.
 */
export async function publishScenarios(given: string | undefined, defaultDir: string): Promise<number> {
  const dir = path.resolve(invocationDir, given ?? defaultDir);
  if ((await reportCheck(await readLibraryFiles([dir], invocationDir))) > 0) {
    console.log("Nothing was published: fix the errors above first.");
    return 1;
  }
  const { files } = await readPublishableFiles(dir);
  const { config, database } = await openConfiguredDatabase();
  let bus: EventBus | null = null;
  try {
    bus = config.redisUrl ? redisEventBus(await connectRedis(config.redisUrl)) : localEventBus();
    const publisher = new LibraryPublisher({
      publications: new PrismaLibraryPublications(database.prisma),
      clock: systemClock,
      bus,
      log: { warn: (_details, message) => console.warn(`Warning: ${message}`) },
    });
    const outcome = await publisher.publish(replaceAllFiles(files), { origin: "cli", publishedById: null });
    if (outcome.kind === "unchanged") {
      console.log(`Nothing changed: publication ${outcome.publication.seq} already holds these files.`);
      return 0;
    }
    if (outcome.kind === "refused") return 1;
    console.log(`Published ${path.relative(invocationDir, dir) || "."} as library publication ${outcome.publication.seq}:`);
    printChanges(outcome.changes);
    console.log(
      bus.shared ? "Running servers switch to it now." : "Running servers switch to it within a minute (with REDIS_URL set here too, at once).",
    );
    return 0;
  } finally {
    await bus?.close();
    await database.close();
  }
}

/**
 * Writes the latest publication into a folder, so edits made in the browser can be committed to
 * git: every file is written, and library files the publication no longer has are removed, so the
 * folder matches the publication exactly and `git status` shows what changed.
 */
export async function exportScenarios(given: string): Promise<number> {
  const dir = path.resolve(invocationDir, given);
  const { database } = await openConfiguredDatabase();
  try {
    const latest = await new PrismaLibraryPublications(database.prisma).latest();
    if (!latest) {
      console.error("No library has been published yet: a server publishes its library folder when it first starts, or run `spar scenarios publish`.");
      return 1;
    }
    // Every name is checked before anything is written: a name the file system refuses half-way
    // would leave the folder half-written (and its new subfolders empty).
    const badNames = latest.files.flatMap((file) => {
      const problem = libraryPathProblem(file.path);
      return problem ? [`  ${file.path.slice(0, 80)}${file.path.length > 80 ? "…" : ""}: ${problem}`] : [];
    });
    if (badNames.length > 0) {
      console.error(`Nothing was written: library publication ${latest.seq} has files no folder should hold:\n${badNames.join("\n")}`);
      console.error("Publish them under valid names (and remove the old ones) first.");
      return 1;
    }
    const before = await readPublishableFiles(dir).catch(() => ({ files: [] }));
    const changes = compareLibraryFiles(before.files, latest.files);
    const inside = (file: string) => {
      const target = path.resolve(dir, file);
      if (!target.startsWith(`${dir}${path.sep}`)) throw new Error(`${file}: the path leaves the folder; nothing more was written`);
      return target;
    };
    for (const file of latest.files.filter((each) => changes.added.includes(each.path) || changes.changed.includes(each.path))) {
      const target = inside(file.path);
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, file.text);
    }
    for (const removed of changes.removed) await rm(inside(removed));
    const name = path.relative(invocationDir, dir) || ".";
    if (changes.added.length + changes.changed.length + changes.removed.length === 0) {
      console.log(`Nothing changed: ${name} already holds library publication ${latest.seq}.`);
      return 0;
    }
    console.log(`Wrote library publication ${latest.seq} (${latest.files.length} files) to ${name}:`);
    printChanges(changes);
    return 0;
  } finally {
    await database.close();
  }
}
