import { PrismaCalibrationRuns } from "@spar/db";
import { calibrateScenario, type Library, loadLibrary, offlineScorer, type TranscriptScorer } from "@spar/domain";
import { SingleBar } from "cli-progress";
import type { AppConfig } from "../env.ts";
import { readLibraryFiles } from "../library/library-files.ts";
import { createScorer } from "../scorer.ts";
import { openConfiguredDatabase } from "../start.ts";
import { calibrationFailed, jsonDocument, type ScorerCalibration, sideBySide, textReport } from "./calibration-report.ts";
import { invocationDir } from "./scenario-commands.ts";

export interface CalibrateOptions {
  /** "both": the offline scorer, and the LLM judge beside it when one is configured. */
  scorers: "both" | "offline" | "judge";
  store: boolean;
  /** One JSON document on standard output instead of the report. */
  json: boolean;
}

export class JudgeNotConfiguredError extends Error {
  constructor() {
    super("--judge needs an LLM judge: set OPENAI_API_KEY or SPAR_JUDGE_API_KEY (and OPENAI_BASE_URL or SPAR_JUDGE_BASE_URL, SPAR_JUDGE_MODEL as needed; docs/llm-providers.md).");
  }
}

function chooseScorers(config: AppConfig, choice: CalibrateOptions["scorers"], library: Library): TranscriptScorer[] {
  // The judge's worked examples come from this library, never from its held-out folders: those
  // examples are scored here as transcripts the judge has not seen.
  const judge = config.llm.engine === "offline" ? null : createScorer(config, undefined, () => library);
  if (choice === "offline") return [offlineScorer];
  if (choice === "judge") {
    if (!judge) throw new JudgeNotConfiguredError();
    return [judge];
  }
  return judge ? [offlineScorer, judge] : [offlineScorer];
}

async function calibrateLibrary(scorer: TranscriptScorer, library: Library, bar: SingleBar): Promise<ScorerCalibration> {
  const results: ScorerCalibration["results"] = [];
  for (const scenario of library.scenarios.values()) {
    const rubric = library.rubrics.get(scenario.value.rubric);
    const examples = library.examples.filter((example) => example.value.scenario === scenario.value.id);
    if (!rubric || examples.length === 0) continue;
    results.push(await calibrateScenario(scorer, scenario, rubric, examples, (file) => bar.increment({ file })));
  }
  return { scorer: { kind: scorer.kind, model: scorer.model }, results };
}

/**
 * `spar scenarios calibrate`: scores every example transcript and compares with the expected
 * bands, the tuning and held-out parts apart; exits 1 when a scenario falls below the thresholds
 * its file sets or a held-out target is missed. With an LLM configured the judge is calibrated
 * beside the offline scorer. Results are stored unless asked not to.
 */
export async function calibrate(paths: string[], config: AppConfig, options: CalibrateOptions): Promise<number> {
  const { library, issues } = await loadLibrary(await readLibraryFiles(paths.length > 0 ? paths : [config.library.dir], invocationDir));
  const errors = issues.filter((issue) => issue.severity !== "warning");
  if (errors.length > 0) {
    console.error(`The library has ${errors.length} error(s): run \`spar scenarios check\` first.`);
    return 1;
  }
  const scorers = chooseScorers(config, options.scorers, library);
  const scenarioIds = new Set(library.scenarios.keys());
  const total = library.examples.filter((example) => scenarioIds.has(example.value.scenario)).length * scorers.length;
  // The progress bar goes to standard error, so `--json` leaves standard output to the document.
  const bar = new SingleBar({ format: "Calibrating [{bar}] {value}/{total} examples  {file}", stream: process.stderr, hideCursor: true, noTTYOutput: false });
  bar.start(total, 0, { file: "" });
  const runs: ScorerCalibration[] = [];
  for (const scorer of scorers) runs.push(await calibrateLibrary(scorer, library, bar));
  bar.stop();

  if (options.json) {
    console.log(JSON.stringify(jsonDocument(runs, new Date()), null, 2));
  } else {
    console.log(`\n${runs.map(textReport).join("\n\n")}`);
    if (runs.length > 1) console.log(`\n${sideBySide(runs)}`);
  }

  if (options.store) {
    const { database } = await openConfiguredDatabase();
    try {
      const stored = new PrismaCalibrationRuns(database.prisma);
      for (const run of runs) for (const result of run.results) await stored.record(result, run.scorer);
    } finally {
      await database.close();
    }
  }
  return runs.some(calibrationFailed) ? 1 : 0;
}
