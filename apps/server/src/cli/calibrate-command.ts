import { PrismaCalibrationRuns } from "@spar/db";
import { calibrateScenario, loadLibrary, type ScenarioCalibration, type TranscriptScorer } from "@spar/domain";
import { SingleBar } from "cli-progress";
import type { AppConfig } from "../env.ts";
import { readLibraryFiles } from "../library/library-files.ts";
import { createScorer } from "../scorer.ts";
import { openConfiguredDatabase } from "../start.ts";
import { invocationDir } from "./scenario-commands.ts";

const percent = (value: number) => `${Math.round(value * 100)}%`;

function report(result: ScenarioCalibration): string {
  const lines = [
    `${result.passed ? "PASS" : "FAIL"}  ${result.scenarioId}  exact ${percent(result.exactAgreement)}, within one ${percent(result.withinOneAgreement)}, ` +
      `strong beats weak: ${result.strongBeatsWeak ? "yes" : "no"}`,
    ...result.byCriterion.map((criterion) => `        ${criterion.criterionId.padEnd(28)} exact ${percent(criterion.exact).padStart(4)}  within one ${percent(criterion.withinOne).padStart(4)}`),
  ];
  for (const example of result.examples) {
    const misses = example.criteria.filter((criterion) => !criterion.exact);
    if (example.error) lines.push(`        ${example.file}: not scored (${example.error})`);
    for (const miss of misses) lines.push(`        ${example.file}: ${miss.criterionId} expected ${miss.expected.join("-")}, scored ${miss.level ?? "none"}`);
  }
  return lines.join("\n");
}

/**
 * `spar scenarios calibrate`: scores every example transcript and compares with the expected
 * bands; exits 1 when a scenario falls below the thresholds its file sets. Results are stored.
 */
export async function calibrate(paths: string[], config: AppConfig, options: { scorer: "offline" | "configured"; store: boolean }): Promise<number> {
  const { library, issues } = await loadLibrary(await readLibraryFiles(paths.length > 0 ? paths : [config.library.dir], invocationDir));
  const errors = issues.filter((issue) => issue.severity !== "warning");
  if (errors.length > 0) {
    console.error(`The library has ${errors.length} error(s): run \`spar scenarios check\` first.`);
    return 1;
  }
  // The judge's worked examples come from this library, never from its held-out folders: those
  // examples are scored here as transcripts the judge has not seen.
  const scorer: TranscriptScorer = options.scorer === "offline" ? createScorer({ ...config, llm: { engine: "offline" } }) : createScorer(config, undefined, () => library);
  const scenarios = [...library.scenarios.values()].filter((entry) => library.examples.some((example) => example.value.scenario === entry.value.id));
  const total = scenarios.reduce((sum, entry) => sum + library.examples.filter((example) => example.value.scenario === entry.value.id).length, 0);
  const bar = new SingleBar({ format: "Calibrating [{bar}] {value}/{total} examples  {file}", stream: process.stderr, hideCursor: true, noTTYOutput: false });
  bar.start(total, 0, { file: "" });
  const results: ScenarioCalibration[] = [];
  for (const scenario of scenarios) {
    const rubric = library.rubrics.get(scenario.value.rubric);
    if (!rubric) continue;
    const examples = library.examples.filter((example) => example.value.scenario === scenario.value.id);
    results.push(await calibrateScenario(scorer, scenario, rubric, examples, (file) => bar.increment({ file })));
  }
  bar.stop();
  console.log(`\nScorer: ${scorer.kind}${scorer.model ? ` (${scorer.model})` : ""}\n`);
  for (const result of results) console.log(report(result));
  const failed = results.filter((result) => !result.passed).length;
  console.log(`\n${results.length} scenarios calibrated: ${results.length - failed} passed, ${failed} failed.`);

  if (options.store) {
    const { database } = await openConfiguredDatabase();
    try {
      const runs = new PrismaCalibrationRuns(database.prisma);
      for (const result of results) await runs.record(result, scorer);
    } finally {
      await database.close();
    }
  }
  return failed > 0 ? 1 : 0;
}
