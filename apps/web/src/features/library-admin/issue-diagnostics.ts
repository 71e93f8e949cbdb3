import type { Diagnostic } from "@codemirror/lint";
import type { Text } from "@codemirror/state";
import type { LibraryIssue } from "@spar/domain";

/**
 * The validator's issues as lint marks: from the issue's column to the end of its line. The issues
 * may describe a slightly older text (validation waits for a pause in typing), so lines and
 * columns past the end of the document are clamped rather than trusted.
 */
export function issueDiagnostics(issues: readonly LibraryIssue[], doc: Text): Diagnostic[] {
  return issues.map((issue) => {
    const line = doc.line(Math.min(Math.max(issue.line, 1), doc.lines));
    const from = Math.min(line.from + Math.max(issue.column - 1, 0), line.to);
    return {
      from,
      to: line.to,
      severity: issue.severity === "warning" ? "warning" : "error",
      message: issue.path ? `${issue.path}: ${issue.message}` : issue.message,
    };
  });
}

/** Where the cursor goes for an issue: its line and column, clamped the same way. */
export function issuePosition(issue: Pick<LibraryIssue, "line" | "column">, doc: Text): number {
  const line = doc.line(Math.min(Math.max(issue.line, 1), doc.lines));
  return Math.min(line.from + Math.max(issue.column - 1, 0), line.to);
}
