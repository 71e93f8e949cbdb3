import type { ImportDecision, ImportSnapshot } from "./people-import-plan.ts";
import type { Actor } from "./people-store.ts";

export type ImportStoreResult =
  | { kind: "decided"; decision: ImportDecision }
  /** The database refused the writes because someone changed the same people or teams at once. */
  | { kind: "conflict" };

/** Where an import is read and written. */
export interface PeopleImportStore {
  /**
   * In one transaction, one import at a time: reads the snapshot for these e-mail addresses, asks
   * `decide` what to do, and (unless `dryRun`) writes the plan it returns with its audit entries.
   * Nothing is written when `decide` finds problems, and nothing at all when any write fails.
   */
  importPeople(
    emails: string[],
    decide: (snapshot: ImportSnapshot) => ImportDecision,
    actor: Actor,
    options: { dryRun: boolean },
  ): Promise<ImportStoreResult>;
}
