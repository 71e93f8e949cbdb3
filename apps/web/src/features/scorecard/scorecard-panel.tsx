import { type ScorecardView, type TurnView, voiceMetricNames } from "@spar/protocol";
import type { ReactNode } from "react";
import { LevelOverrideNote } from "./level-override-note.tsx";
import { MoodCurve } from "./mood-curve.tsx";

/** Metrics measured from a spoken conversation's timing (docs/metrics.md, "Voice metrics"). */
const voiceMetrics = new Set<string>(voiceMetricNames);

/** The conversation's shape in words, addressed to the learner or, for a reviewer, about them. */
function metricLabel(name: string, value: number, learner: string | null): string {
  const who = learner ?? "You";
  const whose = learner ? `${learner}'s` : "your";
  const count = Math.round(value);
  switch (name) {
    case "learner-talk-share":
      return `${who} spoke ${Math.round(value * 100)}% of the words`;
    case "questions-asked":
      return `${count} question${count === 1 ? "" : "s"} asked`;
    case "open-question-share":
      return `${Math.round(value * 100)}% of ${whose} questions were open`;
    case "longest-monologue-words":
      return `Longest turn: ${count} words`;
    case "average-turn-words":
      return `Average turn: ${count} words`;
    case "acknowledged-before-advice":
      return value ? "Acknowledged before advising" : "Advised or judged before acknowledging";
    case "next-step-agreed":
      return value ? "A next step was agreed" : "No next step agreed";
    case "interruptions":
      return `${count} repl${count === 1 ? "y" : "ies"} cut off`;
    case "speaking-pace-wpm":
      return `Pace: ${count} words a minute`;
    case "fillers-per-minute":
      return `Fillers (“um”, “you know”…): ${value} a minute`;
    case "longest-pause-seconds":
      return `Longest pause: ${value} s`;
    case "learner-talk-time-share":
      return `${who} spoke ${Math.round(value * 100)}% of the time`;
    case "learner-interruptions":
      return `${who} spoke over the other person ${count} time${count === 1 ? "" : "s"}`;
    case "interrupted-by-persona":
      return `Spoken over ${count} time${count === 1 ? "" : "s"}`;
    case "response-latency-seconds":
      return `Time before answering: ${value} s (median)`;
    default:
      return `${name}: ${Number.isInteger(value) ? value : value.toFixed(1)}`;
  }
}

interface ScorecardPanelProps {
  scorecard: ScorecardView;
  selected: string | null;
  onSelect: (criterionId: string) => void;
  /** "Your scorecard" for the learner; a manager reads the person's. */
  heading?: string;
  /** The learner's first name when someone else reads the scorecard; the learner is "you". */
  learnerName?: string;
  /** What a reviewer may do with one criterion (adjust its level), shown under it. */
  criterionActions?: (criterion: ScorecardView["criteria"][number]) => ReactNode;
  /** The conversation's turns: where they carry the persona's mood, its curve is shown. */
  turns?: readonly TurnView[];
}

/** The scorecard: overall, pass or not, the one thing to try next, each criterion with its evidence. */
export function ScorecardPanel({ scorecard, selected, onSelect, heading = "Your scorecard", learnerName, criterionActions, turns }: ScorecardPanelProps) {
  return (
    <section className="scorecard card" aria-labelledby="scorecard-heading">
      <h2 id="scorecard-heading">{heading}</h2>
      <p className="scorecard-overall">
        <span className="overall-number">{scorecard.overall.toFixed(1)}</span> / 4 ·{" "}
        <strong className={scorecard.passed ? "passed" : "not-passed"}>
          {scorecard.passed ? "Passed" : "Not yet passed"}
        </strong>{" "}
        <span className="muted">(pass mark {scorecard.passMark})</span>
      </p>
      {scorecard.scorerOverall !== undefined && (
        <p className="muted">
          With a reviewer's adjusted levels; the scorer gave {scorecard.scorerOverall.toFixed(1)}
          {scorecard.scorerPassed ? " (passed)" : " (not passed)"}.
        </p>
      )}
      <p className="muted">
        Scored on {scorecard.rubric.title} v{scorecard.rubric.version} by{" "}
        {scorecard.scorer === "offline"
          ? "the offline scorer (rubric indicators, no AI model)"
          : `the AI judge (${scorecard.model})`}
        .
      </p>
      {scorecard.flags.length > 0 && (
        <div className="notice warning scorecard-flags" role="note">
          <p>
            <strong>Words aimed at the scorer.</strong> These lines spoke to whoever scores the conversation or asked
            for marks. They were not counted as evidence of any skill.
          </p>
          <ul>
            {scorecard.flags.map((flag) => (
              <li key={`${flag.turn}-${flag.quote}`}>
                <a href={`#turn-${flag.turn}`}>Turn {flag.turn}</a>: “{flag.quote}”
              </li>
            ))}
          </ul>
        </div>
      )}
      <div className="next-step">
        <h3>One thing to try next time</h3>
        <p>{scorecard.nextStep.text}</p>
        {scorecard.nextStep.moment && (
          <p className="next-step-moment">
            {learnerName ? `${learnerName} could` : "You could"} have done this at{" "}
            <a href={`#turn-${scorecard.nextStep.moment.turn}`}>turn {scorecard.nextStep.moment.turn}</a>: “
            {scorecard.nextStep.moment.quote}”
          </p>
        )}
      </div>
      <h3>By criterion</h3>
      <p className="muted">Select a criterion to highlight its evidence in the conversation.</p>
      <ul className="criteria">
        {scorecard.criteria.map((criterion) => (
          <li key={criterion.criterionId}>
            <button
              type="button"
              className="criterion"
              aria-pressed={selected === criterion.criterionId}
              onClick={() => onSelect(criterion.criterionId)}
            >
              <span className="criterion-title">{criterion.title}</span>
              <span className={`level level-${criterion.level}`}>
                Level {criterion.level} · {criterion.levelLabel}
              </span>
            </button>
            <LevelOverrideNote criterion={criterion} />
            <p className="criterion-level">{criterion.levelDescription}</p>
            <p className="criterion-rationale">{criterion.rationale}</p>
            {criterion.evidence.length > 0 && (
              <ul className="evidence">
                {criterion.evidence.map((item) => (
                  <li key={`${item.turn}-${item.quote}`} className={`evidence-${item.stance}`}>
                    <span className="evidence-stance">{item.stance === "supports" ? "Supports" : "Counts against"}</span>{" "}
                    <a href={`#turn-${item.turn}`} onClick={() => onSelect(criterion.criterionId)}>
                      Turn {item.turn}
                    </a>
                    : “{item.quote}”
                  </li>
                ))}
              </ul>
            )}
            {criterionActions?.(criterion)}
          </li>
        ))}
      </ul>
      <h3>How the conversation went</h3>
      <ul className="metrics">
        {Object.entries(scorecard.metrics)
          .filter(([name]) => !voiceMetrics.has(name))
          .map(([name, value]) => (
            <li key={name}>{metricLabel(name, value, learnerName ?? null)}</li>
          ))}
      </ul>
      {Object.keys(scorecard.metrics).some((name) => voiceMetrics.has(name)) && (
        <>
          <h3>How it sounded</h3>
          <ul className="metrics voice-metrics">
            {Object.entries(scorecard.metrics)
              .filter(([name]) => voiceMetrics.has(name))
              .map(([name, value]) => (
                <li key={name}>{metricLabel(name, value, learnerName ?? null)}</li>
              ))}
          </ul>
        </>
      )}
      {turns && <MoodCurve turns={turns} />}
    </section>
  );
}
