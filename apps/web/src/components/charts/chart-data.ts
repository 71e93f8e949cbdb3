/** One value at one moment: a session's level on the day it was practised. */
export interface DatedValue {
  /** ISO 8601 date and time. */
  at: string;
  value: number;
}

/** A named run of values, one per category of a bar chart ("Latest", "First"). */
export interface BarSeries {
  name: string;
  values: readonly number[];
}

const shortDate = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short" });
const longDate = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", year: "numeric" });

/** "12 Mar" on an axis (or "Mar 12", as the reader's language has it); with the year in tables and announcements. */
export function formatChartDate(at: string | number, withYear = false): string {
  return (withYear ? longDate : shortDate).format(new Date(at));
}

const accent = "#1f5f8b";
const earlier = "#6b7785";
const third = "#a4262c";

/**
 * A bar series' colour, each with at least 3:1 contrast against the card. One series is Spar's
 * accent; of two, the earlier figure is grey and the later one the accent, so the eye lands on now.
 */
export function barColour(position: number, count: number): string {
  if (count === 1) return accent;
  return [earlier, accent, third][position % 3] ?? accent;
}
