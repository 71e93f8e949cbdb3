import { useMemo } from "react";
import uPlot from "uplot";
import { type BarSeries, barColour } from "./chart-data.ts";
import { UplotChart } from "./uplot-chart.tsx";

const rowHeight = 44;

/**
 * Horizontal bars, one row per category (a criterion, a group), one bar per series in each row.
 * Horizontal so that long names sit beside their bars and wrap, even on a phone.
 */
export function UplotBarChart({
  label,
  categories,
  series,
  range,
  ticks,
  formatValue,
}: {
  label: string;
  categories: readonly string[];
  series: readonly BarSeries[];
  range: readonly [number, number];
  ticks: readonly number[];
  formatValue: (value: number) => string;
}) {
  const spec = useMemo(() => {
    const indices = categories.map((_, index) => index);
    const describe = (index: number) => {
      const values = series.map((each) =>
        series.length === 1 ? formatValue(each.values[index] ?? 0) : `${each.name.toLowerCase()} ${formatValue(each.values[index] ?? 0)}`,
      );
      return `${categories[index] ?? ""}: ${values.join(", ")}`;
    };
    const barWidth = series.length === 1 ? 0.6 : 0.36;
    // One bar centred on its row; two side by side, the first above the row's middle, the second below.
    const align = (position: number): -1 | 0 | 1 => (series.length === 1 ? 0 : position === 0 ? -1 : 1);
    const largest = (index: number) => Math.max(...series.map((each) => each.values[index] ?? 0));
    return {
      label,
      count: categories.length,
      height: Math.max(2, categories.length) * rowHeight + 28,
      data: [indices, ...series.map((each) => [...each.values])] as uPlot.AlignedData,
      describe,
      anchor: (chart: uPlot, index: number) => ({
        left: chart.valToPos(largest(index), "y"),
        top: chart.valToPos(index, "x"),
      }),
      axisLabels: (chart: uPlot) =>
        categories.map((category, index) => ({ key: `${index}`, text: category, offset: chart.valToPos(index, "x") })),
      axisSide: "left" as const,
      options: (width: number): Omit<uPlot.Options, "width" | "height"> => ({
        padding: [4, 16, 0, 0],
        scales: {
          // The category scale runs down the chart (ori 1), first category at the top.
          x: { time: false, ori: 1, dir: -1, range: [-0.5, categories.length - 0.5] },
          y: { ori: 0, range: [range[0], range[1]] },
        },
        axes: [
          {
            scale: "x",
            side: 3,
            // Room for the HTML category labels: up to 40% of the width, and 6rem at least on a phone.
            size: Math.round(Math.min(Math.max(width * 0.4, 96), 240)),
            splits: () => indices,
            values: (_chart, splits) => splits.map(() => ""),
            grid: { show: false },
            ticks: { show: false },
          },
          {
            scale: "y",
            side: 2,
            size: 28,
            font: "12px system-ui, sans-serif",
            stroke: "#4a5360",
            splits: () => [...ticks],
            values: (_chart, splits) => splits.map((split) => formatValue(split)),
            grid: { stroke: "#ebe9e3", width: 1 },
            ticks: { stroke: "#d9d6cf", width: 1, size: 4 },
          },
        ],
        cursor: { drag: { x: false, y: false }, points: { show: false }, x: false, y: false },
        series: [
          {},
          ...series.map((each, position) => ({
            label: each.name,
            fill: barColour(position, series.length),
            stroke: barColour(position, series.length),
            width: 0,
            paths: uPlot.paths.bars?.({ size: [barWidth, 28], align: align(position) }),
            points: { show: false },
          })),
        ],
      }),
    };
  }, [label, categories, series, range, ticks, formatValue]);
  return <UplotChart spec={spec} />;
}
