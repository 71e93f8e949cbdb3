import { useMemo } from "react";
import type uPlot from "uplot";
import { type DatedValue, formatChartDate } from "./chart-data.ts";
import type { AxisLabel } from "./uplot-chart.tsx";
import { UplotChart } from "./uplot-chart.tsx";

const day = 86_400_000;
/** Dates closer than this on the axis would overlap; the later one is left to the hover and the table. */
const minimumLabelGap = 64;

/** Dated axis labels at the points' own dates, thinned so that none overlap and no date repeats. */
function dateLabels(chart: uPlot, times: readonly number[]): AxisLabel[] {
  const labels: AxisLabel[] = [];
  let lastOffset = Number.NEGATIVE_INFINITY;
  for (const time of times) {
    const text = formatChartDate(time);
    const offset = chart.valToPos(time, "x");
    if (offset - lastOffset < minimumLabelGap || labels.at(-1)?.text === text) continue;
    labels.push({ key: String(time), text, offset });
    lastOffset = offset;
  }
  return labels;
}

export function UplotLineChart({
  label,
  points,
  valueName,
  range,
  formatValue,
}: {
  label: string;
  points: readonly DatedValue[];
  valueName: string;
  range: readonly [number, number];
  formatValue: (value: number) => string;
}) {
  const spec = useMemo(() => {
    const times = points.map((point) => Date.parse(point.at));
    const values = points.map((point) => point.value);
    const first = times[0] ?? 0;
    const last = times.at(-1) ?? first;
    // Room either side so the first and last points are not cut in half; a day either side of one.
    const padding = last === first ? day : (last - first) * 0.06;
    const describe = (index: number) => {
      const point = points[index];
      return point ? `${formatChartDate(point.at, true)}: ${valueName.toLowerCase()} ${formatValue(point.value)}` : "";
    };
    const wholeSteps = Array.from({ length: range[1] - range[0] + 1 }, (_, step) => range[0] + step);
    return {
      label,
      count: points.length,
      height: 160,
      data: [times, values] as uPlot.AlignedData,
      describe,
      anchor: (chart: uPlot, index: number) => ({
        left: chart.valToPos(times[index] ?? first, "x"),
        top: chart.valToPos(values[index] ?? range[0], "y"),
      }),
      axisLabels: (chart: uPlot) => dateLabels(chart, times),
      axisSide: "bottom" as const,
      options: (): Omit<uPlot.Options, "width" | "height"> => ({
        padding: [10, 14, 0, 0],
        scales: {
          x: { time: false, range: [first - padding, last + padding] },
          y: { range: [range[0] - 0.15, range[1] + 0.15] },
        },
        axes: [
          {
            // The dates are HTML labels under the canvas (dateLabels); uPlot draws the ticks and grid at them.
            splits: (chart) => dateLabels(chart, times).map((each) => Number(each.key)),
            values: (_chart, splits) => splits.map(() => ""),
            size: 8,
            stroke: "#4a5360",
            grid: { stroke: "#ebe9e3", width: 1 },
            ticks: { stroke: "#d9d6cf", width: 1, size: 6 },
          },
          {
            splits: () => wholeSteps,
            values: (_chart, splits) => splits.map((split) => String(split)),
            size: 28,
            font: "12px system-ui, sans-serif",
            stroke: "#4a5360",
            grid: { stroke: "#ebe9e3", width: 1 },
            ticks: { show: false },
          },
        ],
        cursor: {
          drag: { x: false, y: false },
          points: { size: 10, width: 2, fill: "#ffffff", stroke: "#1f5f8b" },
          y: false,
        },
        series: [
          {},
          {
            label: valueName,
            stroke: "#1f5f8b",
            width: 2,
            points: { show: true, size: 7, fill: "#1f5f8b", stroke: "#1f5f8b" },
          },
        ],
      }),
    };
  }, [label, points, valueName, range, formatValue]);
  return <UplotChart spec={spec} />;
}
