import { countsAsWeak, type ExampleCalibration, type ScenarioCalibration, share } from "./calibration.ts";

/**
 * What the held-out examples must show before a scorer is trusted. They are measured on the
 * held-out part only: the tuning part is what indicators were fitted to, so agreement there says
 * little about transcripts the scorer has never seen.
 */
export const heldOutThresholds = { withinOneAtLeast: 0.85, exactAtLeast: 0.6 } as const;

export type CalibrationTargetId = "strong-pass" | "weak-fail" | "strong-above-weak" | "within-one" | "exact";

export interface CalibrationTarget {
  id: CalibrationTargetId;
  description: string;
  met: boolean;
  /** The figure behind the verdict, and the files that missed it. */
  detail: string;
}

const percent = (value: number) => `${Math.round(value * 100)}%`;
const names = (examples: readonly ExampleCalibration[]) =>
  examples.map((example) => `${example.file} (${example.overall === null ? "not scored" : example.overall.toFixed(2)})`).join(", ");

/** The held-out targets over every scenario's held-out examples; null when there are none. */
export function heldOutTargets(results: readonly ScenarioCalibration[]): CalibrationTarget[] | null {
  const examples = results.flatMap((result) => result.examples.filter((example) => example.heldOut));
  if (examples.length === 0) return null;
  const strong = examples.filter((example) => example.label === "strong");
  const weak = examples.filter((example) => countsAsWeak(example.label));
  const strongMissed = strong.filter((example) => example.passed !== true);
  const weakMissed = weak.filter((example) => example.passed !== false);
  const compared = results.filter((result) => result.heldOut.strongBeatsWeak !== null);
  const reversed = compared.filter((result) => result.heldOut.strongBeatsWeak === false);
  const uncompared = results.filter((result) => result.heldOut.examples > 0 && result.heldOut.strongBeatsWeak === null);
  const criteria = examples.flatMap((example) => example.criteria);
  const withinOne = share(criteria.map((criterion) => criterion.withinOne));
  const exact = share(criteria.map((criterion) => criterion.exact));
  return [
    {
      id: "strong-pass",
      description: "every held-out strong example passes",
      met: strong.length > 0 && strongMissed.length === 0,
      detail: `${strong.length - strongMissed.length} of ${strong.length} pass${strongMissed.length > 0 ? `; not passing: ${names(strongMissed)}` : ""}`,
    },
    {
      id: "weak-fail",
      description: "every held-out weak or adversarial example fails",
      met: weak.length > 0 && weakMissed.length === 0,
      detail: `${weak.length - weakMissed.length} of ${weak.length} fail${weakMissed.length > 0 ? `; not failing: ${names(weakMissed)}` : ""}`,
    },
    {
      id: "strong-above-weak",
      description: "in every scenario, held-out strong examples score above held-out weak and adversarial ones",
      met: compared.length > 0 && reversed.length === 0 && uncompared.length === 0,
      detail:
        `${compared.length - reversed.length} of ${compared.length + uncompared.length} scenarios` +
        (reversed.length > 0 ? `; reversed in ${reversed.map((result) => result.scenarioId).join(", ")}` : "") +
        (uncompared.length > 0 ? `; nothing to compare in ${uncompared.map((result) => result.scenarioId).join(", ")}` : ""),
    },
    {
      id: "within-one",
      description: `within-one-level agreement at least ${percent(heldOutThresholds.withinOneAtLeast)}`,
      met: withinOne >= heldOutThresholds.withinOneAtLeast,
      detail: `${percent(withinOne)} of ${criteria.length} criterion scores`,
    },
    {
      id: "exact",
      description: `exact agreement (level inside the expected band) at least ${percent(heldOutThresholds.exactAtLeast)}`,
      met: exact >= heldOutThresholds.exactAtLeast,
      detail: `${percent(exact)} of ${criteria.length} criterion scores`,
    },
  ];
}
