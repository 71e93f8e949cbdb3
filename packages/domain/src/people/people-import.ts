// Reading a people CSV: the header, then every row checked on its own (e-mail, name, role, team,
// manager), each problem named with the line of the file it is on. Pure: the CSV text is split
// into records by the caller (a CSV reader), and nothing here touches the database.
import { Email, type ImportProblem, type Role } from "@spar/protocol";

/** One record as the CSV reader found it: its values and the line of the file it starts on. */
export interface CsvRecord {
  line: number;
  values: string[];
}

/** What the CSV reader hands over: the records, and where the text was not valid CSV. */
export interface CsvContent {
  records: CsvRecord[];
  problems: ImportProblem[];
}

export interface ImportRows {
  rows: ImportRow[];
  problems: ImportProblem[];
  /** E-mail addresses of rows with problems: such a row still names its person as in the file. */
  badRowEmails: string[];
}

/** A row that passed every check that needs nothing but the file. */
export interface ImportRow {
  line: number;
  /** Lower-cased. */
  email: string;
  name: string;
  role: Role;
  /** Null when the row names no team. */
  team: string | null;
  /** Lower-cased; null when the row names no manager. */
  managerEmail: string | null;
}

export const importColumns = ["email", "name", "role", "team", "manager_email"] as const;
type Column = (typeof importColumns)[number];
const requiredColumns: readonly Column[] = ["email", "name", "role"];

export const importHeaderExample = importColumns.join(",");

/** The longest name and team name the app itself accepts (see packages/protocol/src/people.ts). */
const maxNameLength = 120;
const maxTeamNameLength = 80;

/** Spellings of each role an HR export may carry, compared lower-cased with spaces collapsed. */
const roleSpellings = new Map<string, Role>([
  ["learner", "learner"],
  ["manager", "manager"],
  ["ld_admin", "ld_admin"],
  ["l&d admin", "ld_admin"],
  ["l&d_admin", "ld_admin"],
  ["ld admin", "ld_admin"],
  ["admin", "ld_admin"],
]);

export function parseImportRole(value: string): Role | null {
  return roleSpellings.get(value.trim().toLowerCase().replace(/\s+/g, " ")) ?? null;
}

/** Header names are forgiving about case, spaces and dashes: "Manager Email" and "E-mail" are fine. */
function columnName(value: string): string {
  return value.trim().toLowerCase().replace(/[\s-]+/g, "_").replace(/e_mail$/, "email");
}

// A message names the value it refuses, but not all of a value someone pasted a page into.
const quoted = (value: string) => JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}…` : value);

type HeaderResult = { ok: true; columns: (Column | null)[] } | { ok: false; problem: ImportProblem };

function readHeader(header: CsvRecord): HeaderResult {
  const problem = (message: string): HeaderResult => ({ ok: false, problem: { line: header.line, message } });
  const names = header.values.map(columnName);
  if (header.values.some((value) => value.includes("@"))) {
    return problem(`the first line must be the header row (${importHeaderExample}), but it looks like a person's row`);
  }
  const unknown = header.values.filter((_, index) => !(importColumns as readonly string[]).includes(names[index] ?? ""));
  if (unknown.length > 0) {
    const listed = unknown.map((value) => (value.trim() === "" ? "(an empty column name)" : quoted(value.trim()))).join(", ");
    return problem(`unknown column${unknown.length > 1 ? "s" : ""} ${listed}; the columns are ${importColumns.join(", ")}`);
  }
  const repeated = names.filter((name, index) => names.indexOf(name) !== index);
  if (repeated.length > 0) return problem(`the column ${repeated[0]} appears more than once`);
  const missing = requiredColumns.filter((column) => !names.includes(column));
  if (missing.length > 0) {
    return problem(`the header has no ${missing.join(", ")} column${missing.length > 1 ? "s" : ""}; it needs email, name and role (team and manager_email are optional)`);
  }
  return { ok: true, columns: names as Column[] };
}

/**
 * Checks the header and every row, and reports every bad row (one problem per line, its faults
 * joined), so an admin fixes the whole file in one go. Problems the CSV reader found are kept,
 * and everything comes back in line order.
 */
export function readImportRows(content: CsvContent): ImportRows {
  const [header, ...records] = content.records;
  if (!header) {
    const message = `the file is empty; its first line must be the header row (${importHeaderExample})`;
    return { rows: [], problems: content.problems.length > 0 ? content.problems : [{ line: 1, message }], badRowEmails: [] };
  }
  const headerResult = readHeader(header);
  // Without a header the rows cannot be read at all: say that once, not once per row.
  if (!headerResult.ok) return { rows: [], problems: byLine([headerResult.problem, ...content.problems]), badRowEmails: [] };
  const { columns } = headerResult;

  const rows: ImportRow[] = [];
  const problems: ImportProblem[] = [...content.problems];
  const firstLineOf = new Map<string, number>();
  const badRowEmails: string[] = [];
  for (const record of records) {
    // Spreadsheets export rows of empty cells below the data; they are not people.
    if (record.values.every((value) => value.trim() === "")) continue;
    const faults: string[] = [];
    if (record.values.length > columns.length) {
      faults.push(`${record.values.length} values but the header has ${columns.length} columns (put a value that contains a comma in double quotes)`);
      problems.push({ line: record.line, message: faults.join("; ") });
      continue;
    }
    const value = (column: Column) => {
      const index = columns.indexOf(column);
      return index < 0 ? "" : (record.values[index] ?? "").trim();
    };

    const email = value("email");
    const parsedEmail = Email.safeParse(email);
    if (email === "") faults.push("the e-mail is missing");
    else if (!parsedEmail.success) faults.push(`${quoted(email)} is not an e-mail address`);
    else {
      const earlier = firstLineOf.get(parsedEmail.data);
      if (earlier !== undefined) faults.push(`${parsedEmail.data} is also on line ${earlier}; each person may appear once`);
      else firstLineOf.set(parsedEmail.data, record.line);
    }

    const name = value("name").replace(/\s+/g, " ");
    if (name === "") faults.push("the name is missing");
    else if (name.length > maxNameLength) faults.push(`the name is longer than ${maxNameLength} characters`);

    const roleText = value("role");
    const role = parseImportRole(roleText);
    if (roleText === "") faults.push("the role is missing (learner, manager or ld_admin)");
    else if (!role) faults.push(`unknown role ${quoted(roleText)}; use learner, manager or ld_admin`);

    const team = value("team").replace(/\s+/g, " ");
    if (team.length > maxTeamNameLength) faults.push(`the team name is longer than ${maxTeamNameLength} characters`);

    const managerText = value("manager_email");
    const managerEmail = Email.safeParse(managerText);
    if (managerText !== "" && !managerEmail.success) faults.push(`manager_email ${quoted(managerText)} is not an e-mail address`);

    if (faults.length > 0 || !parsedEmail.success || !role) {
      problems.push({ line: record.line, message: faults.join("; ") });
      if (parsedEmail.success) badRowEmails.push(parsedEmail.data);
      continue;
    }
    rows.push({
      line: record.line,
      email: parsedEmail.data,
      name,
      role,
      team: team === "" ? null : team,
      managerEmail: managerText === "" ? null : (managerEmail.data ?? null),
    });
  }
  return { rows, problems: byLine(problems), badRowEmails };
}

export function byLine(problems: ImportProblem[]): ImportProblem[] {
  return [...problems].sort((a, b) => a.line - b.line);
}
