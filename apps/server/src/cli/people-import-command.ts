// `spar people import <file.csv> [--dry-run]`: the same import as the People page's upload, from a
// terminal. Prints what it created, changed and left alone; a bad file prints `line N: message`
// for every bad row, imports nothing and exits 1.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { type ImportOutcome, rejectionMessage, systemClock } from "@spar/domain";
import { readCsvRecords } from "../people/csv-records.ts";
import { argon2Passwords, randomTokens } from "../security.ts";
import { createServices } from "../services.ts";
import { openConfiguredDatabase } from "../start.ts";
import { invocationDir } from "./scenario-commands.ts";

export class MissingFileError extends Error {}

export async function importPeopleFile(file: string | undefined, options: { dryRun: boolean }): Promise<number> {
  if (!file) throw new MissingFileError("Name the CSV file: spar people import <file.csv>");
  const text = await readFile(path.resolve(invocationDir, file), "utf8");
  const { config, database } = await openConfiguredDatabase();
  try {
    const services = createServices({ config, database, clock: systemClock, passwords: argon2Passwords, tokens: randomTokens });
    const outcome = await services.peopleImport.run(readCsvRecords(text), { id: null }, options);
    return report(outcome, path.basename(file));
  } finally {
    await database.close();
  }
}

function report(outcome: ImportOutcome, file: string): number {
  if (outcome.kind === "rejected") {
    for (const problem of outcome.problems) console.error(`line ${problem.line}: ${problem.message}`);
    console.error(rejectionMessage(outcome.problems));
    return 1;
  }
  if (outcome.kind === "conflict") {
    console.error(outcome.message);
    return 1;
  }
  const { created, changed, unchanged, teamsCreated } = outcome.report;
  const checked = outcome.kind === "checked";
  for (const email of created) console.log(`${checked ? "would create" : "created"}  ${email}`);
  for (const email of changed) console.log(`${checked ? "would change" : "changed"}  ${email}`);
  for (const team of teamsCreated) console.log(`${checked ? "would create team" : "created team"}  ${team}`);
  const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;
  const counts = `${created.length} created, ${changed.length} changed, ${unchanged} unchanged, ${plural(teamsCreated.length, "team")} created`;
  if (checked) {
    console.log(`Checked ${file} (dry run, nothing was written): ${counts}.`);
    return 0;
  }
  console.log(`Imported ${file}: ${counts}.`);
  if (created.length > 0) {
    console.log("New people are invited but have no invitation link yet: send invitations from the People page, or they sign in with single sign-on.");
  }
  return 0;
}
