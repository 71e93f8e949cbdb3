import { type CalibrationTarget, heldOutTargets, heldOutThresholds, type ScenarioCalibration, share } from "@spar/domain";

/** One scorer's calibration over the library: what `spar scenarios calibrate` prints or writes as JSON. */
export interface ScorerCalibration {
  scorer: { kind: "offline" | "llm"; model: string | null };
  results: ScenarioCalibration[];
}

const percent = (value: number) => `${Math.round(value * 100)}%`;
const yesNo = (value: boolean | null) => (value === null ? "n/a" : value ? "yes" : "no");

/** Agreement pooled over every scenario's examples of one part (tuning or held-out). */
function pooled(results: readonly ScenarioCalibration[], heldOut: boolean) {
  const examples = results.flatMap((result) => result.examples.filter((example) => example.heldOut === heldOut));
  const criteria = examples.flatMap((example) => example.criteria);
  return {
    examples: examples.length,
    exactAgreement: share(criteria.map((criterion) => criterion.exact)),
    withinOneAgreement: share(criteria.map((criterion) => criterion.withinOne)),
  };
}

export const scorerName = ({ scorer }: ScorerCalibration) => (scorer.model ? `${scorer.kind} (${scorer.model})` : scorer.kind);

/** Whether the run should fail the command: a scenario below its thresholds, or a held-out target missed. */
export function calibrationFailed(run: ScorerCalibration): boolean {
  return run.results.some((result) => !result.passed) || (heldOutTargets(run.results) ?? []).some((target) => !target.met);
}

function scenarioReport(result: ScenarioCalibration): string {
  const part = (name: string, summary: ScenarioCalibration["tuning"]) =>
    summary.examples === 0
      ? `        ${name.padEnd(9)} no examples`
      : `        ${name.padEnd(9)} ${String(summary.examples).padStart(2)} examples  exact ${percent(summary.exactAgreement).padStart(4)}  within one ${percent(summary.withinOneAgreement).padStart(4)}  strong beats weak: ${yesNo(summary.strongBeatsWeak)}`;
  const lines = [
    `${result.passed ? "PASS" : "FAIL"}  ${result.scenarioId}  exact ${percent(result.exactAgreement)}, within one ${percent(result.withinOneAgreement)}, ` +
      `strong beats weak: ${result.strongBeatsWeak ? "yes" : "no"}`,
    part("tuning", result.tuning),
    part("held out", result.heldOut),
    ...result.byCriterion.map((criterion) => `        ${criterion.criterionId.padEnd(28)} exact ${percent(criterion.exact).padStart(4)}  within one ${percent(criterion.withinOne).padStart(4)}`),
  ];
  for (const example of result.examples) {
    if (example.error) lines.push(`        ${example.file}: not scored (${example.error})`);
    const shouldPass = example.label === "strong" ? true : example.label === "mixed" ? null : false;
    if (shouldPass !== null && example.passed !== null && example.passed !== shouldPass) {
      lines.push(`        ${example.file}: ${example.label} example ${example.passed ? "passed" : "failed"} (overall ${example.overall?.toFixed(2)}, pass mark ${result.passMark})`);
    }
    for (const miss of example.criteria.filter((criterion) => !criterion.exact)) {
      lines.push(`        ${example.file}: ${miss.criterionId} expected ${miss.expected.join("-")}, scored ${miss.level ?? "none"}`);
    }
  }
  return lines.join("\n");
}

function targetsReport(targets: readonly CalibrationTarget[] | null): string {
  if (targets === null) return "No held-out examples: the held-out targets were not checked.";
  return targets.map((target) => `  ${(target.met ? "met" : "NOT MET").padEnd(8)} ${target.description}: ${target.detail}`).join("\n");
}

const setSummary = (summary: ReturnType<typeof pooled>) =>
  summary.examples === 0
    ? "no examples."
    : `${summary.examples} examples, exact ${percent(summary.exactAgreement)}, within one ${percent(summary.withinOneAgreement)}.`;

/** The human-readable report of one scorer's run. */
export function textReport(run: ScorerCalibration): string {
  const failed = run.results.filter((result) => !result.passed).length;
  const tuning = pooled(run.results, false);
  const heldOut = pooled(run.results, true);
  return [
    `Scorer: ${scorerName(run)}`,
    "",
    ...run.results.map(scenarioReport),
    "",
    `${run.results.length} scenarios calibrated: ${run.results.length - failed} passed, ${failed} failed.`,
    `Tuning set:   ${setSummary(tuning)}`,
    `Held-out set: ${setSummary(heldOut)}`,
    "",
    `Held-out targets (${scorerName(run)}):`,
    targetsReport(heldOutTargets(run.results)),
  ].join("\n");
}

/** Each scorer's agreement per scenario in columns, so the judge can be read against the offline scorer. */
export function sideBySide(runs: readonly ScorerCalibration[]): string {
  const cell = (summary: { exactAgreement: number; withinOneAgreement: number; examples: number }) =>
    summary.examples === 0 ? "-" : `${percent(summary.exactAgreement)} / ${percent(summary.withinOneAgreement)}`;
  const header = ["scenario", ...runs.flatMap((run) => [`${scorerName(run)} tuning`, `${scorerName(run)} held out`])];
  const scenarioIds = runs[0]?.results.map((result) => result.scenarioId) ?? [];
  const rows = scenarioIds.map((id) => [
    id,
    ...runs.flatMap((run) => {
      const result = run.results.find((each) => each.scenarioId === id);
      return result ? [cell(result.tuning), cell(result.heldOut)] : ["-", "-"];
    }),
  ]);
  rows.push(["all scenarios", ...runs.flatMap((run) => [cell(pooled(run.results, false)), cell(pooled(run.results, true))])]);
  rows.push([
    "held-out targets met",
    ...runs.flatMap((run) => {
      const targets = heldOutTargets(run.results);
      return ["", targets === null ? "-" : `${targets.filter((target) => target.met).length} of ${targets.length}`];
    }),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)));
  const line = (row: readonly string[]) => row.map((value, column) => value.padEnd(widths[column] ?? 0)).join("  ").trimEnd();
  return ["Agreement side by side (exact / within one level):", line(header), ...rows.map(line)].join("\n");
}

/** One scorer's run as plain data: every example with its levels and evidence, the summaries and the targets. */
function scorerDocument(run: ScorerCalibration) {
  return {
    scorer: run.scorer,
    examples: run.results.flatMap((result) =>
      result.examples.map((example) => ({
        file: example.file,
        scenario: result.scenarioId,
        label: example.label,
        tactic: example.tactic,
        heldOut: example.heldOut,
        overall: example.overall,
        passed: example.passed,
        error: example.error,
        criteria: example.criteria.map((criterion) => ({
          id: criterion.criterionId,
          level: criterion.level,
          expected: criterion.expected,
          exact: criterion.exact,
          withinOne: criterion.withinOne,
          evidence: criterion.evidence.map(({ turn, quote, stance }) => ({ turn, quote, stance })),
        })),
      })),
    ),
    scenarios: run.results.map((result) => ({
      scenario: result.scenarioId,
      passed: result.passed,
      passMark: result.passMark,
      exactAgreement: result.exactAgreement,
      withinOneAgreement: result.withinOneAgreement,
      strongBeatsWeak: result.strongBeatsWeak,
      tuning: result.tuning,
      heldOut: result.heldOut,
      byCriterion: result.byCriterion,
    })),
    tuning: pooled(run.results, false),
    heldOut: pooled(run.results, true),
    targets: heldOutTargets(run.results),
  };
}

/**
 * The `--json` document: the first scorer's run at the top level and, when the judge was run
 * beside the offline scorer, the judge's run under `judge` in the same shape.
 */
export function jsonDocument(runs: readonly ScorerCalibration[], generatedAt: Date) {
  const [first, ...others] = runs;
  if (!first) throw new Error("no calibration run to report");
  return {
    generatedAt: generatedAt.toISOString(),
    heldOutThresholds,
    ...scorerDocument(first),
    judge: others[0] ? scorerDocument(others[0]) : null,
  };
}
