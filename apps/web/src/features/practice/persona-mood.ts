import type { PersonaMood, SessionInfo, TurnView } from "@spar/protocol";

/**
 * The persona's mood as the meter shows it: after the newest persona turn that carries one, or the
 * session's own. Null where the scenario does not show mood, or in an assessment: the server sends
 * none there, and the session without one is how a client knows to show no meter.
 */
export function currentMood(session: Pick<SessionInfo, "mood">, turns: readonly TurnView[]): PersonaMood | null {
  if (!session.mood) return null;
  for (let index = turns.length - 1; index >= 0; index--) {
    const mood = turns[index]?.mood;
    if (mood) return mood;
  }
  return session.mood;
}

const moodNames = { trust: "Trust", resistance: "Resistance" } as const;

/** What changed, in words for a screen reader ("Trust rose to 5 of 10."); null when nothing did. */
export function describeMoodChange(before: PersonaMood, after: PersonaMood): string | null {
  const changes = (["trust", "resistance"] as const)
    .filter((part) => before[part] !== after[part])
    .map((part) => `${moodNames[part]} ${after[part] > before[part] ? "rose" : "fell"} to ${after[part]} of 10.`);
  return changes.length > 0 ? changes.join(" ") : null;
}
