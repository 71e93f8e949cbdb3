import type { TurnView } from "@spar/protocol";

/** The persona's mood after one of its turns: a point of the scorecard's mood curve. */
export interface MoodPoint {
  /** The turn's seq, as the transcript numbers it. */
  turn: number;
  trust: number;
  resistance: number;
}

/** One point per persona turn that carries a mood, in order: none where the mood was not shown. */
export function moodPoints(turns: readonly TurnView[]): MoodPoint[] {
  return turns.flatMap((turn) => (turn.speaker === "persona" && turn.mood ? [{ turn: turn.seq, ...turn.mood }] : []));
}

/** The curve in one sentence, for the chart's text label. */
export function moodSummary(points: readonly MoodPoint[]): string {
  const first = points[0];
  const last = points.at(-1);
  if (!first || !last) return "No mood was recorded.";
  const replies = `${points.length} ${points.length === 1 ? "turn" : "turns"} of the other person`;
  const part = (name: string, from: number, to: number) => (from === to ? `${name} stayed at ${to}` : `${name} went from ${from} to ${to}`);
  return `${part("Trust", first.trust, last.trust)} and ${part("resistance", first.resistance, last.resistance)} (out of 10), over ${replies}.`;
}

/** Which points get a turn number under the x axis: all of them, or every nth when they would crowd. */
export function labelledTurns(points: readonly MoodPoint[], most = 10): Set<number> {
  const step = Math.max(1, Math.ceil(points.length / most));
  return new Set(points.filter((_, index) => index % step === 0 || index === points.length - 1).map((point) => point.turn));
}
