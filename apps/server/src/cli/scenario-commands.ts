import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { formatIssue, libraryJsonSchemas, loadLibrary, type SourceFile } from "@spar/domain";
import { readLibraryFiles } from "../library/library-files.ts";

/** Where the person ran the command: pnpm runs scripts from the package folder but keeps this. */
export const invocationDir = process.env.INIT_CWD ?? process.cwd();

export async function checkScenarios(paths: string[], defaultDir: string): Promise<number> {
  const files = await readLibraryFiles(paths.length > 0 ? paths : [defaultDir], invocationDir);
  return (await reportCheck(files)) > 0 ? 1 : 0;
}

/** Prints every problem in the files and a summary, as `spar scenarios check` does; returns the errors. */
export async function reportCheck(files: readonly SourceFile[]): Promise<number> {
  const { library, issues } = await loadLibrary(files);
  for (const issue of issues) console.log(formatIssue(issue));
  const errors = issues.filter((issue) => issue.severity !== "warning").length;
  const warnings = issues.length - errors;
  console.log(
    `\n${files.length} files: ${library.scenarios.size} scenarios, ${library.rubrics.size} rubrics, ` +
      `${library.examples.length} example transcripts loaded; ${errors} error(s), ${warnings} warning(s).`,
  );
  return errors;
}

export async function listScenarioFiles(libraryDir: string): Promise<number> {
  const { library, issues } = await loadLibrary(await readLibraryFiles([libraryDir], invocationDir));
  const rows = [...library.scenarios.values()].map(({ value, contentHash }) => [
    value.id,
    value.family,
    value.difficulty,
    value.rubric,
    `v${value.version}`,
    String(library.examples.filter((example) => example.value.scenario === value.id).length),
    contentHash.slice(0, 12),
  ]);
  const header = ["scenario", "family", "difficulty", "rubric", "version", "examples", "content hash"];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)));
  for (const row of [header, ...rows]) console.log(row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join("  ").trimEnd());
  if (issues.length > 0) console.log(`\n${issues.length} problem(s) in the library: run \`spar scenarios check\`.`);
  return 0;
}

export async function writeJsonSchemas(libraryDir: string): Promise<number> {
  const dir = path.join(libraryDir, "schema");
  await mkdir(dir, { recursive: true });
  for (const [kind, schema] of Object.entries(libraryJsonSchemas())) {
    const file = path.join(dir, `${kind}.schema.json`);
    await writeFile(file, `${JSON.stringify(schema, null, 2)}\n`);
    console.log(`Wrote ${path.relative(invocationDir, file)}`);
  }
  return 0;
}
