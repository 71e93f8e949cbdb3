// Every CSV the server sends is written here, with csv-stringify: quoting is the library's, and
// cells a spreadsheet would run as a formula are neutralised in this one place.
import { stringify } from "csv-stringify/sync";

export type CsvCell = string | number | null;

/** A table to send as CSV: the header row, then the rows, cells in the header's order. */
export interface CsvTable {
  header: readonly string[];
  rows: readonly (readonly CsvCell[])[];
}

/**
 * A text cell starting with one of these is read as a formula by Excel, LibreOffice or Google
 * Sheets (tab and carriage return because some of them skip over them first): a scenario titled
 * `=HYPERLINK(…)` would otherwise open as a live link. Numbers are written as numbers, so -0.5
 * stays a number.
 */
const formulaStart = /^[=+\-@\t\r]/;

/** OWASP's advice for CSV injection: a single quote before the cell makes it plain text. */
export function neutraliseFormula(value: string): string {
  return formulaStart.test(value) ? `'${value}` : value;
}

export function writeCsv(table: CsvTable): string {
  return stringify([table.header, ...table.rows], { cast: { string: neutraliseFormula }, record_delimiter: "\n" });
}
