// How audit entries read to an L&D admin: actions in words and their details in brief.

const actionWords: Record<string, string> = {
  "person.created": "added a person",
  "person.updated": "changed a person",
  "person.deactivated": "deactivated",
  "person.reactivated": "reactivated",
  "person.exported": "exported the data of",
  "person.erased": "erased",
  "person.deprovisioned": "deprovisioned",
  "people.imported": "imported people",
  "team.created": "created a team",
  "team.renamed": "renamed a team",
  "team.managers_changed": "changed a team's managers",
  "team.members_changed": "changed a team's members",
  "team.deleted": "deleted a team",
  "invitation.issued": "issued an invitation for",
  "invitation.accepted": "accepted their invitation",
  "password_reset.issued": "issued a password reset link for",
  "password_reset.used": "reset their password",
  "password.changed": "changed their password",
  "transcript.read": "read a transcript of",
  "scorecard.read": "read a scorecard of",
  "brief.read": "read the one-to-one brief of",
  "demo.removed": "removed the demo organisation",
  "scoring.retried": "retried the failed scoring of a session",
};

/** "team.managers_changed" reads "team managers changed" when it has no words of its own yet. */
export function actionInWords(action: string): string {
  return actionWords[action] ?? action.replace(/[._]/g, " ");
}

function valueInWords(value: unknown): string {
  if (value === null || value === undefined) return "none";
  if (Array.isArray(value)) return value.length === 0 ? "none" : value.map(valueInWords).join(", ");
  if (typeof value === "object") {
    const record = value as Record<string, unknown>;
    if ("from" in record && "to" in record) return `${valueInWords(record.from)} → ${valueInWords(record.to)}`;
    return Object.entries(record)
      .map(([key, inner]) => `${key} ${valueInWords(inner)}`)
      .join(", ");
  }
  return String(value);
}

/** One line such as "role: learner → manager; team: none → Field Sales", cut short if long. */
export function detailsInBrief(details: Record<string, unknown>, limit = 160): string {
  const text = Object.entries(details)
    .filter(([key]) => key !== "expiresAt")
    .map(([key, value]) => `${key}: ${valueInWords(value)}`)
    .join("; ");
  return text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
}
