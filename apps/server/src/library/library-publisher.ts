import { type Clock, type LibraryEdit, type LibraryPublications, type PublicationOrigin, type PublishOutcome, publishLibrary } from "@spar/domain";
import type { EventBus } from "../events/event-bus.ts";
import { announcePublication } from "./library-announcements.ts";

export interface LibraryPublisherDeps {
  publications: LibraryPublications;
  clock: Clock;
  bus: EventBus;
  log: { warn(details: object, message: string): void };
}

/** Publishes library edits and announces each new publication to every process. */
export class LibraryPublisher {
  constructor(private readonly deps: LibraryPublisherDeps) {}

  async publish(edit: LibraryEdit, by: { origin: PublicationOrigin; publishedById: string | null }): Promise<PublishOutcome> {
    const outcome = await publishLibrary(this.deps, edit, by);
    if (outcome.kind === "published") {
      // The publication is already stored: a lost announcement only delays the other processes
      // until their next check, so it is logged rather than failing the publish.
      await announcePublication(this.deps.bus, outcome.publication.seq).catch((error: unknown) =>
        this.deps.log.warn({ err: error, seq: outcome.publication.seq }, "could not announce a library publication; other processes pick it up within a minute"),
      );
    }
    return outcome;
  }
}
