import type { ScorecardView } from "@spar/protocol";

type Criterion = ScorecardView["criteria"][number];

/**
 * Under a criterion a manager adjusted: the scorer's level beside the manager's, with who, when
 * and why. The learner sees it too: a changed level without its reason would feel arbitrary.
 */
export function LevelOverrideNote({ criterion }: { criterion: Criterion }) {
  const { override, scorerLevel } = criterion;
  if (!override) return null;
  return (
    <div className="level-override">
      <p className="level-override-levels">
        <span>
          Scorer: <strong>Level {scorerLevel ?? "?"}</strong>
        </span>{" "}
        <span>
          <span aria-hidden="true">→ </span>
          {override.by ? override.by.name : "Reviewer"}: <strong>Level {override.level} · {override.levelLabel}</strong>
        </span>
      </p>
      <p className="level-override-reason">
        {override.reason ? `“${override.reason}”` : "(The reason went with the transcript when it was erased.)"}{" "}
        <span className="muted">
          ({new Date(override.at).toLocaleDateString()})
        </span>
      </p>
    </div>
  );
}
