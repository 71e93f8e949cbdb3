import type { LearnerHistory } from "@spar/protocol";
import { useMemo } from "react";
import { LineChart } from "../../components/charts/line-chart.tsx";

type Trend = LearnerHistory["trends"][number];

const levelRange = [1, 4] as const;
const formatLevel = (level: number) => `${level.toFixed(1)} of 4`;

/** One competency's level (1 to 4) at each scored session, by date, with the change first to last. */
export function TrendChart({ trend, label }: { trend: Trend; label: string }) {
  const points = useMemo(() => trend.points.map((point) => ({ at: point.at, value: point.level })), [trend.points]);
  return (
    <LineChart
      className="trend card"
      label={`${label}: level by session date`}
      points={points}
      valueName="Level"
      range={levelRange}
      formatValue={formatLevel}
      caption={
        <>
          <strong>{label}</strong>{" "}
          {trend.change !== null && (
            <span className={trend.change >= 0 ? "passed" : "not-passed"}>
              {trend.change > 0 ? "+" : ""}
              {trend.change.toFixed(1)}
              <span className="visually-hidden"> from first to latest</span>
            </span>
          )}
        </>
      }
    />
  );
}
