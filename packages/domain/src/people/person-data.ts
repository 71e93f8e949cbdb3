import type { PersonExport } from "@spar/protocol";
import type { Clock } from "../ports/clock.ts";
import type { SignInRevocation } from "./people-service.ts";
import type { Actor } from "./people-store.ts";

/** What an erasure removed, in counts only: the audit record of it carries nothing else. */
export interface ErasureCounts {
  /** Sessions whose transcript was erased now (unfinished ones are deleted outright). */
  sessions: number;
  turns: number;
  scorecards: number;
  oneToOnes: number;
  observations: number;
  /** Audit entries whose details named the person and were scrubbed. */
  auditEntriesScrubbed: number;
}

export type ErasureResult =
  | { ok: true; counts: ErasureCounts }
  | { ok: false; reason: "not-found" | "last-admin" | "confirmation-mismatch" };

/** Everything Spar holds about one person, read and written as a whole. */
export interface PersonDataStore {
  /**
   * The person's whole record as of `exportedAt`, with a `person.exported` audit entry written in
   * the same transaction; null when there is no such person (or they were erased).
   */
  exportPerson(personId: string, actor: Actor, exportedAt: Date): Promise<PersonExport | null>;
  /**
   * Erases the person's personal data and transcripts in one transaction. The typed confirmation
   * (`confirmEmail`, or null when the caller confirmed otherwise) and the last-admin rule are
   * checked inside it, after the person's row is locked, so nothing changes when either fails.
   */
  erasePerson(personId: string, confirmEmail: string | null, actor: Actor, now: Date): Promise<ErasureResult>;
}

/** Each person's data rights: a copy of everything held about them, and erasure for good. */
export class PersonDataRights {
  constructor(private readonly deps: { store: PersonDataStore; revocation: SignInRevocation; clock: Clock }) {}

  exportPerson(personId: string, actor: Actor): Promise<PersonExport | null> {
    return this.deps.store.exportPerson(personId, actor, this.deps.clock.now());
  }

  async erasePerson(personId: string, confirmEmail: string | null, actor: Actor): Promise<ErasureResult> {
    const result = await this.deps.store.erasePerson(personId, confirmEmail, actor, this.deps.clock.now());
    // The transaction deleted their sign-ins; this closes what is open on every process.
    if (result.ok) await this.deps.revocation.revoke(personId);
    return result;
  }
}
