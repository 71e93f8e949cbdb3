import { open, readFile, rm } from "node:fs/promises";
import path from "node:path";

export class DataDirectoryInUseError extends Error {
  readonly code = "DATA_DIRECTORY_IN_USE";
  constructor(dataDir: string, pid: number) {
    super(
      `The embedded database in ${dataDir} is in use by process ${pid}. PGlite serves one process ` +
        "at a time: stop that process, or set DATABASE_URL to a PostgreSQL server to run several.",
    );
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Claims the data directory for this process with a pid file. A second process opening the
 * same PGlite directory would corrupt it, so it gets a clear error instead; a pid file left by
 * a crashed process is taken over.
 */
export async function claimDataDirectory(dataDir: string): Promise<() => Promise<void>> {
  const lockPath = path.join(dataDir, "spar.pid");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(lockPath, "wx");
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number.parseInt(await readFile(lockPath, "utf8").catch(() => ""), 10);
      if (Number.isInteger(holder) && isRunning(holder)) {
        throw new DataDirectoryInUseError(dataDir, holder);
      }
      await rm(lockPath, { force: true });
    }
  }
  throw new Error(`Could not claim ${lockPath}`);
}
