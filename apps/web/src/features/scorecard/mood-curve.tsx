import type { TurnView } from "@spar/protocol";
import { useId, useState } from "react";
import { labelledTurns, type MoodPoint, moodPoints, moodSummary } from "./mood-points.ts";

// Drawing units of the SVG's viewBox, about a phone's width: it scales to the scorecard's width
// (up to a little larger on a desktop), so its text stays readable on both.
const width = 320;
const height = 190;
const pad = { left: 42, right: 12, top: 12, bottom: 42 };
const plotWidth = width - pad.left - pad.right;
const plotHeight = height - pad.top - pad.bottom;
const yTicks = [0, 2, 4, 6, 8, 10];

const y = (value: number) => pad.top + ((10 - value) / 10) * plotHeight;
const xOf = (count: number) => (index: number) => pad.left + (count === 1 ? plotWidth / 2 : (index * plotWidth) / (count - 1));

/** A line's marker: a circle for trust, a square for resistance, so the lines differ by more than colour. */
function Marker({ part, cx, cy }: { part: "trust" | "resistance"; cx: number; cy: number }) {
  return part === "trust" ? (
    <circle className="mood-point mood-point-trust" cx={cx} cy={cy} r={4} />
  ) : (
    <rect className="mood-point mood-point-resistance" x={cx - 3.5} y={cy - 3.5} width={7} height={7} />
  );
}

function LegendKey({ part }: { part: "trust" | "resistance" }) {
  return (
    <svg className="mood-legend-key" viewBox="0 0 28 10" width="28" height="10" aria-hidden="true" focusable="false">
      <line className={`mood-line mood-line-${part}`} x1={0} x2={28} y1={5} y2={5} />
      <Marker part={part} cx={14} cy={5} />
    </svg>
  );
}

function Chart({ points, summary }: { points: readonly MoodPoint[]; summary: string }) {
  const x = xOf(points.length);
  const labelled = labelledTurns(points);
  const line = (part: "trust" | "resistance") => points.map((point, index) => `${x(index)},${y(point[part])}`).join(" ");
  return (
    <svg className="mood-chart" viewBox={`0 0 ${width} ${height}`} width="100%" role="img">
      <title>{summary}</title>
      {yTicks.map((tick) => (
        <g key={tick}>
          <line className="grid-line" x1={pad.left} x2={width - pad.right} y1={y(tick)} y2={y(tick)} />
          <text className="mood-axis-label" x={pad.left - 6} y={y(tick) + 4} textAnchor="end">
            {tick}
          </text>
        </g>
      ))}
      <text className="mood-axis-title" transform={`translate(12 ${pad.top + plotHeight / 2}) rotate(-90)`} textAnchor="middle">
        Out of 10
      </text>
      {points.map((point, index) =>
        labelled.has(point.turn) ? (
          <text key={point.turn} className="mood-axis-label" x={x(index)} y={height - pad.bottom + 16} textAnchor="middle">
            {point.turn}
          </text>
        ) : null,
      )}
      <text className="mood-axis-title" x={pad.left + plotWidth / 2} y={height - 6} textAnchor="middle">
        Turn
      </text>
      {(["trust", "resistance"] as const).map((part) => (
        <g key={part}>
          <polyline className={`mood-line mood-line-${part}`} points={line(part)} />
          {points.map((point, index) => (
            <Marker key={point.turn} part={part} cx={x(index)} cy={y(point[part])} />
          ))}
        </g>
      ))}
    </svg>
  );
}

/**
 * "Mood over the conversation": the persona's trust and resistance after each of its turns, on
 * scenarios that showed the mood. A line chart with a table of the same numbers a button away.
 * Nothing is drawn for a conversation without a mood (not shown, or an assessment).
 */
export function MoodCurve({ turns }: { turns: readonly TurnView[] }) {
  const [tableShown, setTableShown] = useState(false);
  const id = useId();
  const points = moodPoints(turns);
  if (points.length === 0) return null;
  const summary = moodSummary(points);
  const tableId = `${id}-table`;
  return (
    <section className="mood-curve" aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`}>Mood over the conversation</h3>
      <p className="muted">{summary}</p>
      <ul className="mood-legend">
        <li>
          <LegendKey part="trust" /> Trust
        </li>
        <li>
          <LegendKey part="resistance" /> Resistance
        </li>
      </ul>
      <Chart points={points} summary={summary} />
      <button
        type="button"
        className="link-button mood-table-toggle"
        aria-expanded={tableShown}
        aria-controls={tableId}
        onClick={() => setTableShown((shown) => !shown)}
      >
        Show as table
      </button>
      <div className="table-scroll" id={tableId} hidden={!tableShown}>
        <table className="history-table mood-table">
          <caption className="visually-hidden">Trust and resistance after each turn of the other person, out of 10</caption>
          <thead>
            <tr>
              <th scope="col">Turn</th>
              <th scope="col">Trust</th>
              <th scope="col">Resistance</th>
            </tr>
          </thead>
          <tbody>
            {points.map((point) => (
              <tr key={point.turn}>
                <th scope="row">
                  <a href={`#turn-${point.turn}`}>Turn {point.turn}</a>
                </th>
                <td>{point.trust}</td>
                <td>{point.resistance}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
