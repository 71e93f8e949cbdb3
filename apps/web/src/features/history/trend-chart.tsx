import type { LearnerHistory } from "@spar/protocol";

type Trend = LearnerHistory["trends"][number];

/** A small line chart of one competency's levels (1 to 4) across sessions, with a text summary. */
export function TrendChart({ trend, label }: { trend: Trend; label: string }) {
  const width = 320;
  const height = 120;
  const pad = 24;
  const x = (index: number) =>
    pad + (trend.points.length === 1 ? (width - 2 * pad) / 2 : (index * (width - 2 * pad)) / (trend.points.length - 1));
  const y = (level: number) => height - pad - ((level - 1) / 3) * (height - 2 * pad);
  const summary = `${label}: ${trend.points.map((point) => point.level.toFixed(1)).join(", ")}${trend.change === null ? "" : `; change ${trend.change > 0 ? "+" : ""}${trend.change.toFixed(1)}`}`;
  return (
    <figure className="trend card">
      <figcaption>
        <strong>{label}</strong>{" "}
        {trend.change !== null && (
          <span className={trend.change >= 0 ? "passed" : "not-passed"}>
            {trend.change > 0 ? "+" : ""}
            {trend.change.toFixed(1)}
          </span>
        )}
      </figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={summary} width="100%">
        {[1, 2, 3, 4].map((level) => (
          <g key={level}>
            <line x1={pad} x2={width - pad} y1={y(level)} y2={y(level)} className="grid-line" />
            <text x={4} y={y(level) + 4} className="axis-label">
              {level}
            </text>
          </g>
        ))}
        <polyline
          points={trend.points.map((point, index) => `${x(index)},${y(point.level)}`).join(" ")}
          className="trend-line"
        />
        {trend.points.map((point, index) => (
          <circle key={point.sessionId} cx={x(index)} cy={y(point.level)} r={4} className="trend-point" />
        ))}
      </svg>
    </figure>
  );
}
