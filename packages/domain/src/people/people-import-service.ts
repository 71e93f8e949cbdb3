import type { ImportProblem, ImportReport } from "@spar/protocol";
import { byLine, type CsvContent, readImportRows } from "./people-import.ts";
import { planImport } from "./people-import-plan.ts";
import type { PeopleImportStore } from "./people-import-store.ts";
import type { Actor } from "./people-store.ts";

export type ImportOutcome =
  /** Written (or, for a dry run, what would have been written). */
  | { kind: "imported" | "checked"; report: ImportReport }
  /** Bad rows: nothing was written. */
  | { kind: "rejected"; problems: ImportProblem[] }
  /** Someone changed the same people or teams at the same moment: nothing was written. */
  | { kind: "conflict"; message: string };

/** Bulk import of people from a CSV: all rows or none. */
export class PeopleImport {
  constructor(private readonly deps: { store: PeopleImportStore }) {}

  async run(content: CsvContent, actor: Actor, options: { dryRun: boolean }): Promise<ImportOutcome> {
    const { rows, problems, badRowEmails } = readImportRows(content);
    const emails = new Set<string>();
    for (const row of rows) {
      emails.add(row.email);
      if (row.managerEmail) emails.add(row.managerEmail);
    }
    // With bad rows nothing is written, but the good ones are still checked against Spar, so the
    // admin sees every problem of the file at once.
    const checkOnly = problems.length > 0;
    if (checkOnly && rows.length === 0) return { kind: "rejected", problems };
    const result = await this.deps.store.importPeople(
      [...emails],
      (snapshot) => planImport(rows, snapshot, badRowEmails),
      { ...actor, via: "csv" },
      { dryRun: options.dryRun || checkOnly },
    );
    if (result.kind === "conflict") {
      return { kind: "conflict", message: "Someone changed the same people or teams while the file was imported; nothing was imported. Import the file again." };
    }
    if (checkOnly) return { kind: "rejected", problems: byLine([...problems, ...(result.decision.ok ? [] : result.decision.problems)]) };
    if (!result.decision.ok) return { kind: "rejected", problems: result.decision.problems };
    return {
      kind: options.dryRun ? "checked" : "imported",
      report: { imported: !options.dryRun, dryRun: options.dryRun, problems: [], ...result.decision.plan.report },
    };
  }
}

/** "3 rows have problems; nothing was imported." */
export function rejectionMessage(problems: ImportProblem[]): string {
  const lines = new Set(problems.map((problem) => problem.line)).size;
  return `${lines} ${lines === 1 ? "row has a problem" : "rows have problems"}; nothing was imported.`;
}
