import { lazy, type ReactNode } from "react";
import { ChartFigure } from "./chart-figure.tsx";
import type { DatedValue } from "./chart-data.ts";
import { formatChartDate } from "./chart-data.ts";
import { ScrollRegion } from "../scroll-region.tsx";

const UplotLineChart = lazy(() => import("./uplot-line-chart.tsx").then((module) => ({ default: module.UplotLineChart })));

export interface LineChartProps {
  /** What the chart shows, for screen readers and the table's caption: "Objection handling: level by date". */
  label: string;
  points: readonly DatedValue[];
  /** The value column's heading and the word before each value: "Level". */
  valueName: string;
  /** The value axis, fixed so that charts side by side compare: [1, 4] for rubric levels. */
  range: readonly [number, number];
  formatValue: (value: number) => string;
  caption?: ReactNode;
  className?: string;
}

/** Values over dates: a line with dated axis labels, values on hover and keyboard focus, and a table. */
export function LineChart({ label, points, valueName, range, formatValue, caption, className }: LineChartProps) {
  return (
    <ChartFigure
      className={className}
      caption={caption}
      chart={<UplotLineChart label={label} points={points} valueName={valueName} range={range} formatValue={formatValue} />}
      table={
        <ScrollRegion label={label}>
          <table className="history-table">
            <caption className="visually-hidden">{label}</caption>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">{valueName}</th>
              </tr>
            </thead>
            <tbody>
              {points.map((point, index) => (
                // Two sessions can share a date and a value; their order is their identity here.
                // biome-ignore lint/suspicious/noArrayIndexKey: the points never reorder
                <tr key={index}>
                  <td>{formatChartDate(point.at, true)}</td>
                  <td>{formatValue(point.value)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      }
    />
  );
}
