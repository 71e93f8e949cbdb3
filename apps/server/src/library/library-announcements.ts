import type { EventBus } from "../events/event-bus.ts";
import { runEvery, type Schedule } from "../schedule.ts";

/** Carries the seq of each new library publication to every process (with Redis, across all). */
export const libraryPublishedChannel = "spar:library-published";

/** Tells every process (this one included) that publication `seq` exists. */
export async function announcePublication(bus: EventBus, seq: number): Promise<void> {
  await bus.publish(libraryPublishedChannel, String(seq));
}

/** Missed announcements are caught by this check; one cheap `max(seq)` query a minute per process. */
export const publicationCheckMs = 60_000;

export interface FollowedLibrary {
  readonly seq: number;
  /** Serves the latest publication if it is newer than the one served. */
  refresh(): Promise<unknown>;
}

/**
 * Keeps this process on the latest publication: it reloads when it hears of a newer seq on the bus,
 * and also checks the latest seq every minute, because a Redis blip, a CLI publish without
 * REDIS_URL or a restart of Redis loses announcements. The check runs on a timer rather than on
 * /api/library/status reads so that a process nobody asks about (learners only list scenarios)
 * converges all the same.
 */
export async function followPublications(
  bus: EventBus,
  library: FollowedLibrary,
  log: { error(details: object, message: string): void },
  checkEveryMs = publicationCheckMs,
): Promise<Schedule> {
  const refresh = () => library.refresh().catch((error: unknown) => log.error({ err: error }, "library refresh failed; it is checked again within a minute"));
  const unsubscribe = await bus.subscribe(libraryPublishedChannel, (message) => {
    const heard = Number(message);
    if (!Number.isInteger(heard) || heard > library.seq) void refresh();
  });
  // The first check runs now, after subscribing: nothing published before this call is missed.
  const check = runEvery(checkEveryMs, async () => {
    await refresh();
  });
  return {
    async stop() {
      await check.stop();
      await unsubscribe();
    },
  };
}
