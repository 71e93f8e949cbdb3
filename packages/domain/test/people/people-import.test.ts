// Reading a people CSV's records: the header and every row's own checks, each problem on its line.
import { type CsvRecord, parseImportRole, readImportRows } from "@spar/domain";
import { describe, expect, it } from "vitest";

/** Records as a CSV reader hands them over: the header on line 1, then a row per line. */
function records(...lines: string[][]): { records: CsvRecord[]; problems: [] } {
  return { records: lines.map((values, index) => ({ line: index + 1, values })), problems: [] };
}

const header = ["email", "name", "role", "team", "manager_email"];

describe("reading the rows of a people CSV", () => {
  it("reads good rows, lower-casing e-mails and tidying spaces", () => {
    const { rows, problems } = readImportRows(
      records(header, [" Ana.Lima@Example.com ", "Ana  Lima", "Learner", " Field  Sales ", "MAYA@example.com"], ["maya@example.com", "Maya Chen", "manager", "", ""]),
    );
    expect(problems).toEqual([]);
    expect(rows).toEqual([
      { line: 2, email: "ana.lima@example.com", name: "Ana Lima", role: "learner", team: "Field Sales", managerEmail: "maya@example.com" },
      { line: 3, email: "maya@example.com", name: "Maya Chen", role: "manager", team: null, managerEmail: null },
    ]);
  });

  it("takes the columns in any order, with team and manager_email left out, and forgiving header spelling", () => {
    const { rows, problems } = readImportRows(records(["Role", " NAME", "E-mail"], ["ld_admin", "Ines", "ines@example.com"]));
    expect(problems).toEqual([]);
    expect(rows).toEqual([{ line: 2, email: "ines@example.com", name: "Ines", role: "ld_admin", team: null, managerEmail: null }]);
    expect(readImportRows(records(["email", "name", "role", "Manager E-mail"], ["a@example.com", "A", "learner", "m@example.com"])).rows[0]?.managerEmail).toBe("m@example.com");
  });

  it("accepts the documented spellings of each role, and nothing else", () => {
    expect(["learner", "MANAGER", "ld_admin", "L&D admin", "l&d  Admin", "Admin", "LD admin"].map(parseImportRole)).toEqual([
      "learner",
      "manager",
      "ld_admin",
      "ld_admin",
      "ld_admin",
      "ld_admin",
      "ld_admin",
    ]);
    expect(["boss", "constructor", "__proto__", "learners", ""].map(parseImportRole)).toEqual([null, null, null, null, null]);
  });

  it("refuses a file without a header row, naming line 1", () => {
    const { rows, problems } = readImportRows(records(["ana@example.com", "Ana", "learner"], ["ben@example.com", "Ben", "learner"]));
    expect(rows).toEqual([]);
    expect(problems).toEqual([{ line: 1, message: expect.stringContaining("the first line must be the header row (email,name,role,team,manager_email)") }]);
  });

  it("names every unknown column, and reports nothing per row when the header is wrong", () => {
    const { problems } = readImportRows(records(["email", "name", "role", "department", "Cost centre"], ["a@example.com", "A", "boss", "x", "y"]));
    expect(problems).toEqual([{ line: 1, message: 'unknown columns "department", "Cost centre"; the columns are email, name, role, team, manager_email' }]);
  });

  it("names missing and repeated columns", () => {
    expect(readImportRows(records(["email", "team"], ["a@example.com", "X"])).problems).toEqual([
      { line: 1, message: "the header has no name, role columns; it needs email, name and role (team and manager_email are optional)" },
    ]);
    expect(readImportRows(records(["email", "name", "role", "email"])).problems).toEqual([{ line: 1, message: "the column email appears more than once" }]);
  });

  it("refuses an address longer than mail allows, quoting only its start", () => {
    const long = `${"a".repeat(250)}@example.com`;
    const { rows, problems } = readImportRows(records(header, [long, "Long", "learner", "", ""]));
    expect(rows).toEqual([]);
    expect(problems).toEqual([{ line: 2, message: `"${"a".repeat(57)}…" is not an e-mail address` }]);
  });

  it("says an empty file is empty", () => {
    expect(readImportRows({ records: [], problems: [] }).problems).toEqual([
      { line: 1, message: "the file is empty; its first line must be the header row (email,name,role,team,manager_email)" },
    ]);
  });

  it("reports every bad row with its line, one message per line with all its faults", () => {
    const { rows, problems } = readImportRows(
      records(
        header,
        ["ana@example.com", "Ana", "learner", "", ""],
        ["", "", "learner", "", ""],
        ["not-an-address", "Bo", "boss", "", "also bad"],
        ["cy@example.com", "Cy", "", "x".repeat(81), ""],
        ["ANA@example.com", "Ana Again", "learner", "", ""],
        ["dee@example.com", "D".repeat(121), "manager", "", ""],
      ),
    );
    expect(rows.map((row) => row.line)).toEqual([2]);
    expect(problems).toEqual([
      { line: 3, message: "the e-mail is missing; the name is missing" },
      { line: 4, message: '"not-an-address" is not an e-mail address; unknown role "boss"; use learner, manager or ld_admin; manager_email "also bad" is not an e-mail address' },
      { line: 5, message: "the role is missing (learner, manager or ld_admin); the team name is longer than 80 characters" },
      { line: 6, message: "ana@example.com is also on line 2; each person may appear once" },
      { line: 7, message: "the name is longer than 120 characters" },
    ]);
  });

  it("refuses a row with more values than columns (an unquoted comma), and fills short rows with empty values", () => {
    const { rows, problems } = readImportRows(records(header, ["ana@example.com", "Lima", " Ana", "learner", "", ""], ["ben@example.com", "Ben", "learner"]));
    expect(problems).toEqual([{ line: 2, message: "6 values but the header has 5 columns (put a value that contains a comma in double quotes)" }]);
    expect(rows).toEqual([{ line: 3, email: "ben@example.com", name: "Ben", role: "learner", team: null, managerEmail: null }]);
  });

  it("skips rows of empty cells, and keeps the CSV reader's own problems in line order", () => {
    const content = records(header, ["", " ", "", "", ""], ["x", "X", "learner", "", ""]);
    const { rows, problems } = readImportRows({ ...content, problems: [{ line: 9, message: "a quote opened on this line or after it is never closed, so the rest of the file cannot be read" }] });
    expect(rows).toEqual([]);
    expect(problems.map((problem) => problem.line)).toEqual([3, 9]);
  });
});
