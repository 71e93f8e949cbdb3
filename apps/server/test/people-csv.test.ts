// People CSV files as admins produce them (spreadsheet exports with a byte-order mark, CRLF, quoted
// commas and line breaks) and as they break them, read by csv-parse and checked by the domain.
import { readImportRows } from "@spar/domain";
import { describe, expect, it } from "vitest";
import { readCsvRecords } from "../src/people/csv-records.ts";

const read = (text: string) => readImportRows(readCsvRecords(text));

describe("reading a people CSV file", () => {
  it("reads a spreadsheet export: byte-order mark, CRLF, quoted commas, doubled quotes and blank lines", () => {
    const text = '\uFEFFemail,name,role,team,manager_email\r\n\r\nana@example.com,"Lima, Ana",learner,"Sales, North",maya@example.com\r\nmaya@example.com,"Maya ""Mo"" Chen",manager,"Sales, North",\r\n\r\n';
    const { rows, problems } = read(text);
    expect(problems).toEqual([]);
    expect(rows).toEqual([
      { line: 3, email: "ana@example.com", name: "Lima, Ana", role: "learner", team: "Sales, North", managerEmail: "maya@example.com" },
      { line: 4, email: "maya@example.com", name: 'Maya "Mo" Chen', role: "manager", team: "Sales, North", managerEmail: null },
    ]);
  });

  it("numbers lines as an editor does when a quoted value spans lines", () => {
    const { rows, problems } = read('email,name,role\n"ana@example.com","Ana\nLima",learner\nbo@example.com,Bo,boss\n');
    expect(rows.map((row) => [row.line, row.name])).toEqual([[2, "Ana Lima"]]);
    expect(problems).toEqual([{ line: 4, message: 'unknown role "boss"; use learner, manager or ld_admin' }]);
  });

  it("refuses a file with a NUL or another control character, naming its line and column (the CLI reads files itself)", () => {
    expect(read("email,name,role\nbo@example.com,B\u0000o,learner\n")).toMatchObject({
      rows: [],
      problems: [{ line: 2, message: "column 17: contains a NUL character (U+0000); remove it" }],
    });
  });

  it("keeps a quote inside a value as it was typed, rather than refusing the row", () => {
    const { rows } = read('email,name,role\nbo@example.com,Bo "the boss" Lee,learner\ncy@example.com,"Cy" Young,learner\n');
    expect(rows.map((row) => row.name)).toEqual(['Bo "the boss" Lee', '"Cy" Young']);
  });

  it("names an unquoted comma by its line", () => {
    expect(read("email,name,role,team\nana@example.com,Lima, Ana,learner,Sales\nbo@example.com,Bo,learner,Sales\n").problems).toEqual([
      { line: 2, message: "5 values but the header has 4 columns (put a value that contains a comma in double quotes)" },
    ]);
  });

  it("names the line of a quote that is never closed", () => {
    const { problems } = read('email,name,role\nana@example.com,Ana,learner\nbo@example.com,"Bo,learner\ncy@example.com,Cy,learner\n');
    expect(problems).toEqual([{ line: 3, message: "a quote opened on this line or after it is never closed, so the rest of the file cannot be read" }]);
  });

  it("refuses a file whose first line is a person, not the header", () => {
    expect(read("ana@example.com,Ana,learner\n").problems).toEqual([
      { line: 1, message: "the first line must be the header row (email,name,role,team,manager_email), but it looks like a person's row" },
    ]);
  });

  it("says an empty or blank file is empty", () => {
    for (const text of ["", "\uFEFF", "\r\n\r\n"]) {
      expect(read(text).problems).toEqual([{ line: 1, message: "the file is empty; its first line must be the header row (email,name,role,team,manager_email)" }]);
    }
  });

  it("finds every bad row of a file with several, in line order", () => {
    const text = [
      "email,name,role,team,manager_email",
      "ana@example.com,Ana,learner,,",
      "ana@example.com,Ana Two,learner,,",
      "not-an-email,Bo,learner,,",
      ",,,,",
      "cy@example.com,,coach,,",
      "dee@example.com,Dee,L&D admin,,",
    ].join("\n");
    expect(read(text).problems).toEqual([
      { line: 3, message: "ana@example.com is also on line 2; each person may appear once" },
      { line: 4, message: '"not-an-email" is not an e-mail address' },
      { line: 6, message: 'the name is missing; unknown role "coach"; use learner, manager or ld_admin' },
    ]);
  });
});
