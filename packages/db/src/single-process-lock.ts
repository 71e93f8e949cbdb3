import pg from "pg";

/** Another serving process holds the database without a shared event bus: a message for the operator. */
export class DatabaseInUseByAnotherProcessError extends Error {}

// An arbitrary, fixed advisory lock key: "spar" in ASCII.
const servingLockKey = 0x73706172;

/**
 * Holds a session-level advisory lock for as long as this process serves: without Redis, what
 * a process keeps in memory (replies in progress, who follows a session) cannot reach another
 * process, so a second serving process on the same PostgreSQL is refused rather than left to
 * break sessions. The lock lives on its own connection and ends with it, so a crashed process
 * frees it at once. Worker processes and CLI commands do not take it.
 */
export async function holdSingleServingProcess(url: string, onLost: (error: Error) => void): Promise<{ release: () => Promise<void> }> {
  const client = new pg.Client({ connectionString: url, application_name: "spar serving lock" });
  await client.connect();
  // A connection dropped by the server or a proxy frees the lock: the operator hears of it.
  client.on("error", onLost);
  const { rows } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1) AS locked", [servingLockKey]);
  if (!rows[0]?.locked) {
    await client.end();
    throw new DatabaseInUseByAnotherProcessError(
      "Another Spar server process is already serving from this PostgreSQL database without REDIS_URL. " +
        "Several server processes need Redis to share live replies and events: set REDIS_URL on every process " +
        "(README, Operations), or stop the other process. Scoring-only processes (`spar worker`) need neither.",
    );
  }
  return { release: () => client.end() };
}
