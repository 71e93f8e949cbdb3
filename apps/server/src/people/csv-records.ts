// Splits CSV text into records with csv-parse, keeping the line each record starts on and turning
// what is not valid CSV into `line N: message` problems instead of an exception.
import type { CsvContent, CsvRecord } from "@spar/domain";
import { documentProblem, type ImportProblem } from "@spar/protocol";
import { type CsvError, parse } from "csv-parse/sync";

const lineBreaks = /\r\n|\n|\r/g;

function csvProblem(error: CsvError | undefined, line: number): ImportProblem {
  if (error?.code === "CSV_QUOTE_NOT_CLOSED") {
    return { line, message: "a quote opened on this line or after it is never closed, so the rest of the file cannot be read" };
  }
  return { line, message: `this is not valid CSV (${error?.message ?? "unreadable"})` };
}

/**
 * Reads CSV text. A byte-order mark, quoted values (with commas, doubled quotes and line breaks
 * inside), CRLF line ends and blank lines are fine; so is a quote inside a value (Ann "Bo" Lee,
 * or "Ann" Lee), kept as typed: people type them and a name with quotes harms nothing.
 */
export function readCsvRecords(text: string): CsvContent {
  // The upload route's schema refuses such a file already; the CLI reads files itself.
  const refused = documentProblem(text);
  if (refused) return { records: [], problems: [{ line: refused.line, message: `column ${refused.column}: ${refused.problem}` }] };
  const records: CsvRecord[] = [];
  const problems: ImportProblem[] = [];
  // Where the next record starts: csv-parse reports the line a record (or an error) ends on.
  let lastLine = 0;
  try {
    parse(text, {
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      relax_quotes: true,
      skip_records_with_error: true,
      // Called in order with the errors below, so each knows the line the last record ended on.
      on_record: (record: string[], context) => {
        const spanned = record.reduce((count, value) => count + (value.match(lineBreaks)?.length ?? 0), 0);
        records.push({ line: context.lines - spanned, values: record });
        lastLine = context.lines;
        return null;
      },
      on_skip: (error) => {
        const errorLine = typeof error?.lines === "number" ? error.lines : lastLine + 1;
        problems.push(csvProblem(error, error?.code === "CSV_QUOTE_NOT_CLOSED" ? nextNonBlankLine(text, lastLine) : errorLine));
        lastLine = errorLine;
      },
    });
  } catch (error) {
    // skip_records_with_error passes record errors to on_skip; what is left is about the whole text.
    problems.push(csvProblem(error as CsvError, lastLine + 1));
  }
  return { records, problems };
}

/** The first line after `line` with something on it (1-based), where an unclosed quote began. */
function nextNonBlankLine(text: string, line: number): number {
  const lines = text.split(lineBreaks);
  for (let index = line; index < lines.length; index++) if ((lines[index] ?? "").trim() !== "") return index + 1;
  return line + 1;
}
