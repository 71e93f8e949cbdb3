import type { ExampleTranscript } from "../library/example-schema.ts";
import type { LibraryEntry } from "../library/library.ts";
import type { Rubric } from "../library/rubric-schema.ts";
import type { Scenario } from "../library/scenario-schema.ts";
import { conversationMetrics, type ScoredTurn } from "./conversation-metrics.ts";
import { overallLevel } from "./scorecard.ts";
import { scoringContext, type TranscriptScorer } from "./transcript-scorer.ts";

export interface CriterionAgreement {
  criterionId: string;
  expected: [number, number];
  level: number | null;
  exact: boolean;
  withinOne: boolean;
}

export interface ExampleCalibration {
  file: string;
  label: ExampleTranscript["label"];
  overall: number | null;
  error: string | null;
  criteria: CriterionAgreement[];
}

export interface ScenarioCalibration {
  scenarioId: string;
  scenarioHash: string;
  rubricHash: string;
  exactAgreement: number;
  withinOneAgreement: number;
  /** Every strong example scored above every weak one. */
  strongBeatsWeak: boolean;
  passed: boolean;
  examples: ExampleCalibration[];
  /** Per criterion across this scenario's examples: share exact and within one level. */
  byCriterion: { criterionId: string; exact: number; withinOne: number }[];
}

export function exampleTranscript(example: ExampleTranscript): ScoredTurn[] {
  return example.turns.map((turn, index) => ({ seq: index + 1, speaker: turn.speaker, text: turn.text }));
}

const share = (items: readonly boolean[]) => (items.length === 0 ? 0 : Math.round((items.filter(Boolean).length / items.length) * 100) / 100);

/**
 * Scores every example transcript of a scenario and compares each criterion's level with the
 * band the author expected. Passes when agreement reaches the scenario's thresholds and every
 * strong example outscores every weak one.
 */
export async function calibrateScenario(
  scorer: TranscriptScorer,
  scenario: LibraryEntry<Scenario>,
  rubric: LibraryEntry<Rubric>,
  examples: readonly LibraryEntry<ExampleTranscript>[],
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
      const level = outcome.ok ? (outcome.criteria.find((each) => each.criterionId === criterion.id)?.level ?? null) : null;
      return {
        criterionId: criterion.id,
        expected: [low, high],
        level,
        exact: level !== null && level >= low && level <= high,
        withinOne: level !== null && level >= low - 1 && level <= high + 1,
      };
    });
    results.push({
      file: example.file,
      label: example.value.label,
      overall: outcome.ok ? overallLevel(rubric.value, outcome.criteria) : null,
      error: outcome.ok ? null : outcome.message,
      criteria,
    });
    onExample(example.file);
  }
  const all = results.flatMap((result) => result.criteria);
  const strong = results.filter((result) => result.label === "strong").map((result) => result.overall ?? 0);
  const weak = results.filter((result) => result.label === "weak").map((result) => result.overall ?? 0);
  const strongBeatsWeak = strong.length > 0 && weak.length > 0 && Math.min(...strong) > Math.max(...weak);
  const exactAgreement = share(all.map((item) => item.exact));
  const withinOneAgreement = share(all.map((item) => item.withinOne));
  const thresholds = scenario.value.calibration;
  return {
    scenarioId: scenario.value.id,
    scenarioHash: scenario.contentHash,
    rubricHash: rubric.contentHash,
    exactAgreement,
    withinOneAgreement,
    strongBeatsWeak,
    passed: exactAgreement >= thresholds.exact_at_least && withinOneAgreement >= thresholds.within_one_at_least && strongBeatsWeak,
    examples: results,
    byCriterion: rubric.value.criteria.map((criterion) => {
      const items = all.filter((item) => item.criterionId === criterion.id);
      return { criterionId: criterion.id, exact: share(items.map((item) => item.exact)), withinOne: share(items.map((item) => item.withinOne)) };
    }),
  };
}
