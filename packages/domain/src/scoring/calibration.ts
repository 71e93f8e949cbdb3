import type { ExampleTranscript } from "../library/example-schema.ts";
import type { ExampleEntry, LibraryEntry } from "../library/library.ts";
import type { Rubric } from "../library/rubric-schema.ts";
import type { Scenario } from "../library/scenario-schema.ts";
import { conversationMetrics, type ScoredTurn } from "./conversation-metrics.ts";
import { type Evidence, overallLevel } from "./scorecard.ts";
import { scoringContext, type TranscriptScorer } from "./transcript-scorer.ts";

export interface CriterionAgreement {
  criterionId: string;
  expected: [number, number];
  level: number | null;
  exact: boolean;
  withinOne: boolean;
  /** The quotes the scorer gave for this criterion, so a reader can see what earned the level. */
  evidence: Evidence[];
}

export interface ExampleCalibration {
  file: string;
  label: ExampleTranscript["label"];
  tactic: string | null;
  heldOut: boolean;
  overall: number | null;
  /** Whether the overall level reached the rubric's pass mark; null when the example was not scored. */
  passed: boolean | null;
  error: string | null;
  criteria: CriterionAgreement[];
}

/** Agreement over one part of a scenario's examples (all, tuning or held-out). */
export interface AgreementSummary {
  examples: number;
  exactAgreement: number;
  withinOneAgreement: number;
  /**
   * Every strong example scored above every weak or adversarial one; null when the part lacks
   * one side, so there is nothing to compare.
   */
  strongBeatsWeak: boolean | null;
}

export interface ScenarioCalibration {
  scenarioId: string;
  scenarioHash: string;
  rubricHash: string;
  passMark: number;
  exactAgreement: number;
  withinOneAgreement: number;
  /** Every strong example scored above every weak or adversarial one. */
  strongBeatsWeak: boolean;
  /** The scenario's own thresholds, over all its examples. */
  passed: boolean;
  /** The examples the offline scorer's indicators may be tuned against. */
  tuning: AgreementSummary;
  /** The examples in `held-out/`: the honest measure, never used for tuning. */
  heldOut: AgreementSummary;
  examples: ExampleCalibration[];
  /** Per criterion across this scenario's examples: share exact and within one level. */
  byCriterion: { criterionId: string; exact: number; withinOne: number }[];
}

export function exampleTranscript(example: ExampleTranscript): ScoredTurn[] {
  return example.turns.map((turn, index) => ({ seq: index + 1, speaker: turn.speaker, text: turn.text }));
}

export const share = (items: readonly boolean[]) => (items.length === 0 ? 0 : Math.round((items.filter(Boolean).length / items.length) * 100) / 100);

/** Adversarial examples are written to score well without doing the work: they count as weak. */
export const countsAsWeak = (label: ExampleTranscript["label"]) => label === "weak" || label === "adversarial";

/** Every strong example above every weak one, or null when there is nothing to compare. */
export function strongAboveWeak(examples: readonly ExampleCalibration[]): boolean | null {
  const strong = examples.filter((example) => example.label === "strong").map((example) => example.overall ?? 0);
  const weak = examples.filter((example) => countsAsWeak(example.label)).map((example) => example.overall ?? 0);
  if (strong.length === 0 || weak.length === 0) return null;
  return Math.min(...strong) > Math.max(...weak);
}

export function summarise(examples: readonly ExampleCalibration[]): AgreementSummary {
  const criteria = examples.flatMap((example) => example.criteria);
  return {
    examples: examples.length,
    exactAgreement: share(criteria.map((item) => item.exact)),
    withinOneAgreement: share(criteria.map((item) => item.withinOne)),
    strongBeatsWeak: strongAboveWeak(examples),
  };
}

/**
 * Scores every example transcript of a scenario, with the scenario's brief and hidden facts as
 * context, and compares each criterion's level with the band the author expected. Passes when
 * agreement reaches the scenario's thresholds and every strong example outscores every weak or
 * adversarial one. The tuning and held-out parts are also summarised on their own.
 */
export async function calibrateScenario(
  scorer: TranscriptScorer,
  scenario: LibraryEntry<Scenario>,
  rubric: LibraryEntry<Rubric>,
  examples: readonly ExampleEntry[],
  onExample: (file: string) => void = () => {},
): Promise<ScenarioCalibration> {
  const results: ExampleCalibration[] = [];
  // A judge reads the brief and hidden facts with each example, as it does with a real session.
  const context = scoringContext(scenario.value);
  for (const example of examples) {
    const transcript = exampleTranscript(example.value);
    const outcome = await scorer.score(rubric.value, transcript, conversationMetrics(transcript), context);
    const criteria = rubric.value.criteria.map((criterion): CriterionAgreement => {
      const [low, high] = example.value.expected[criterion.id] ?? [1, 4];
      const result = outcome.ok ? outcome.criteria.find((each) => each.criterionId === criterion.id) : undefined;
      const level = result?.level ?? null;
      return {
        criterionId: criterion.id,
        expected: [low, high],
        level,
        exact: level !== null && level >= low && level <= high,
        withinOne: level !== null && level >= low - 1 && level <= high + 1,
        evidence: result?.evidence ?? [],
      };
    });
    const overall = outcome.ok ? overallLevel(rubric.value, outcome.criteria) : null;
    results.push({
      file: example.file,
      label: example.value.label,
      tactic: example.value.tactic ?? null,
      heldOut: example.heldOut,
      overall,
      passed: overall === null ? null : overall >= rubric.value.pass_mark,
      error: outcome.ok ? null : outcome.message,
      criteria,
    });
    onExample(example.file);
  }
  const all = summarise(results);
  const strongBeatsWeak = all.strongBeatsWeak === true;
  const thresholds = scenario.value.calibration;
  const criteria = results.flatMap((result) => result.criteria);
  return {
    scenarioId: scenario.value.id,
    scenarioHash: scenario.contentHash,
    rubricHash: rubric.contentHash,
    passMark: rubric.value.pass_mark,
    exactAgreement: all.exactAgreement,
    withinOneAgreement: all.withinOneAgreement,
    strongBeatsWeak,
    passed: all.exactAgreement >= thresholds.exact_at_least && all.withinOneAgreement >= thresholds.within_one_at_least && strongBeatsWeak,
    tuning: summarise(results.filter((result) => !result.heldOut)),
    heldOut: summarise(results.filter((result) => result.heldOut)),
    examples: results,
    byCriterion: rubric.value.criteria.map((criterion) => {
      const items = criteria.filter((item) => item.criterionId === criterion.id);
      return { criterionId: criterion.id, exact: share(items.map((item) => item.exact)), withinOne: share(items.map((item) => item.withinOne)) };
    }),
  };
}
