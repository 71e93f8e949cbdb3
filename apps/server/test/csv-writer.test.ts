import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { neutraliseFormula, writeCsv } from "../src/csv/csv-writer.ts";

describe("the CSV writer", () => {
  it("writes a header and rows, quoting only what needs it, empty cells for nothing", () => {
    expect(writeCsv({ header: ["team", "people", "share"], rows: [["Big, Inc", 6, 0.5], ['Say "hi"', null, -0.25], ["Two\nlines", "", 0]] })).toBe(
      'team,people,share\n"Big, Inc",6,0.5\n"Say ""hi""",,-0.25\n"Two\nlines",,0\n',
    );
  });

  it("neutralises every text cell a spreadsheet would run as a formula, and leaves numbers alone", () => {
    const hostile = ['=HYPERLINK("https://evil.example","Click")', "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1", "\r=1", "=cmd|' /C calc'!A0"];
    const csv = writeCsv({ header: ["text", "number"], rows: hostile.map((text) => [text, -1]) });
    const [, ...rows] = parse(csv) as string[][];
    expect(rows.map((row) => row[0])).toEqual(hostile.map((text) => `'${text}`));
    expect(rows.every((row) => row[1] === "-1")).toBe(true);
  });

  it("leaves other text as it is", () => {
    for (const text of ["Plain", "a=b", " =not first", "'quoted", "3-2", "é@x"]) expect(neutraliseFormula(text)).toBe(text);
  });
});
