import type { DialogueAct, MetricName } from "../library/dialogue-acts.ts";

/**
 * The offline scorer's reasons in words a learner and their manager read on the scorecard: what
 * was seen, what held the level back, and why it stops where it does. The points behind them
 * stay inside the scorer; a person reads behaviour, not arithmetic.
 */

const actWords: Record<DialogueAct, string> = {
  greeting: "a greeting",
  "open-question": "open questions",
  "closed-question": "closed questions",
  acknowledgement: "acknowledging their point or feeling",
  summary: "summarising what was said",
  advice: "telling them what to do",
  blame: "blame or judgement",
  proposal: "proposing a next step",
  commitment: "committing to a next step with a when",
  steering: "stepping out of the role-play",
  observation: "describing concretely what happened",
  impact: "naming the impact",
  "quantifying-question": "questions about how much or how often",
  "decision-question": "questions about who decides",
  "future-question": "questions about what they want next",
  reflection: "playing back their own words",
  statement: "plain statements",
};

const metricWords: Record<MetricName, (value: number) => string> = {
  "learner-talk-share": (value) => `${Math.round(value * 100)}% of the words spoken`,
  "questions-asked": (value) => `${Math.round(value)} question${Math.round(value) === 1 ? "" : "s"} asked`,
  "open-question-share": (value) => `${Math.round(value * 100)}% of the questions open`,
  "longest-monologue-words": (value) => `a longest turn of ${Math.round(value)} words`,
  "average-turn-words": (value) => `an average turn of ${Math.round(value)} words`,
  "acknowledged-before-advice": (value) => (value ? "acknowledgement before advice" : "advice before acknowledgement"),
  "next-step-agreed": (value) => (value ? "a next step agreed" : "no next step agreed"),
  interruptions: (value) => `${Math.round(value)} repl${Math.round(value) === 1 ? "y" : "ies"} cut off`,
  "speaking-pace-wpm": (value) => `a pace of ${Math.round(value)} words a minute`,
  "fillers-per-minute": (value) => `${value} filler${value === 1 ? "" : "s"} a minute`,
  "longest-pause-seconds": (value) => `a longest pause of ${value} s`,
  "learner-talk-time-share": (value) => `${Math.round(value * 100)}% of the speaking time`,
  "learner-interruptions": (value) => `${Math.round(value)} time${Math.round(value) === 1 ? "" : "s"} speaking over the other person`,
  "interrupted-by-persona": (value) => `${Math.round(value)} time${Math.round(value) === 1 ? "" : "s"} spoken over`,
  "response-latency-seconds": (value) => `a median of ${value} s before answering`,
};

export interface IndicatorWords {
  acts?: readonly DialogueAct[];
  any_words?: readonly string[];
}

/** "open questions or summarising what was said, using “budget”, “cost”" */
export function describeIndicator(indicator: IndicatorWords): string {
  const acts = indicator.acts?.map((act) => actWords[act]).join(" or ");
  const words = indicator.any_words ? `“${indicator.any_words.slice(0, 2).join("”, “")}”${indicator.any_words.length > 2 ? "…" : ""}` : undefined;
  if (acts && words) return `${acts}, using ${words}`;
  return acts ?? (words ? `the words ${words}` : "this behaviour");
}

export const describeMetric = (metric: MetricName, value: number): string => metricWords[metric](value);

const inTurns = (count: number) => `${count} turn${count === 1 ? "" : "s"}`;

export interface CriterionReasons {
  shown: { indicator: IndicatorWords; turns: number }[];
  against: { indicator: IndicatorWords; turns: number }[];
  shape: { metric: MetricName; value: number }[];
  /** Why the level stops where it does, each a clause: "level 4 needs it in more than one turn". */
  limits: string[];
}

/** The rationale: sentences in a fixed order, or a plain "no sign" when nothing counted. */
export function criterionRationale(reasons: CriterionReasons): string {
  const sentences: string[] = [];
  if (reasons.shown.length > 0) sentences.push(`Shown: ${reasons.shown.map((item) => `${describeIndicator(item.indicator)} (${inTurns(item.turns)})`).join("; ")}.`);
  if (reasons.against.length > 0) sentences.push(`Counted against: ${reasons.against.map((item) => `${describeIndicator(item.indicator)} (${inTurns(item.turns)})`).join("; ")}.`);
  if (reasons.shape.length > 0) sentences.push(`The conversation had ${reasons.shape.map((item) => describeMetric(item.metric, item.value)).join(", ")}.`);
  for (const limit of reasons.limits) sentences.push(`${limit.charAt(0).toUpperCase()}${limit.slice(1)}.`);
  return sentences.length > 0 ? sentences.join(" ") : "No sign of this in the conversation.";
}
