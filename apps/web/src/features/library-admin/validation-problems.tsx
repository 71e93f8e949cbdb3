import type { LibraryIssue } from "@spar/domain";

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;

/** What the list says first: errors block publishing, warnings are advice and do not. */
function summary(errors: number, warnings: number): string {
  if (errors === 0) return `${count(warnings, "warning")} (the file can still be published):`;
  return warnings === 0 ? `${count(errors, "error")}:` : `${count(errors, "error")} and ${count(warnings, "warning")}:`;
}

/**
 * The validator's findings for the edited file, errors first. "No problems found." only when there
 * is nothing at all to say; each finding's place is a button that takes the cursor there.
 */
export function ValidationProblems({
  issues,
  onGoTo,
}: {
  issues: readonly LibraryIssue[];
  onGoTo: (issue: LibraryIssue) => void;
}) {
  const errors = issues.filter((issue) => issue.severity !== "warning");
  const warnings = issues.filter((issue) => issue.severity === "warning");
  return (
    <div className="validation" role="status" aria-live="polite">
      {issues.length === 0 ? (
        <p className="passed">No problems found.</p>
      ) : (
        <p className={errors.length > 0 ? "not-passed" : "warned"}>{summary(errors.length, warnings.length)}</p>
      )}
      <ul>
        {[...errors, ...warnings].map((issue) => (
          <li key={`${issue.severity ?? "error"}:${issue.line}:${issue.column}:${issue.message}`}>
            <span className={issue.severity === "warning" ? "issue-warning" : "issue-error"}>
              {issue.severity === "warning" ? "Warning" : "Error"}
            </span>{" "}
            <button type="button" className="link-button" onClick={() => onGoTo(issue)}>
              Line {issue.line}, column {issue.column}
            </button>{" "}
            {issue.path && <code>{issue.path}</code>} {issue.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
