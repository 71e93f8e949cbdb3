import { lazy, type ReactNode } from "react";
import { type BarSeries, barColour } from "./chart-data.ts";
import { ChartFigure } from "./chart-figure.tsx";
import { ScrollRegion } from "../scroll-region.tsx";

const UplotBarChart = lazy(() => import("./uplot-bar-chart.tsx").then((module) => ({ default: module.UplotBarChart })));

export interface BarChartProps {
  /** What the chart shows, for screen readers and the table's caption. */
  label: string;
  categories: readonly string[];
  series: readonly BarSeries[];
  range: readonly [number, number];
  /** The values marked on the value axis: [0, 0.25, 0.5, 0.75, 1] for shares. */
  ticks: readonly number[];
  formatValue: (value: number) => string;
  caption?: ReactNode;
  /** The text alternative, when the page has a fuller table than the bars' own figures. */
  table?: ReactNode;
}

/** Horizontal bars with values on hover and keyboard focus, a key for several series, and a table. */
export function BarChart({ label, categories, series, range, ticks, formatValue, caption, table }: BarChartProps) {
  return (
    <ChartFigure
      caption={caption}
      chart={
        <>
          {series.length > 1 && (
            <ul className="chart-key">
              {series.map((each, position) => (
                <li key={each.name}>
                  <span className="chart-key-swatch" style={{ background: barColour(position, series.length) }} aria-hidden="true" />
                  {each.name}
                </li>
              ))}
            </ul>
          )}
          <UplotBarChart label={label} categories={categories} series={series} range={range} ticks={ticks} formatValue={formatValue} />
        </>
      }
      table={
        table ?? (
          <ScrollRegion label={label}>
            <table className="history-table">
              <caption className="visually-hidden">{label}</caption>
              <thead>
                <tr>
                  <th scope="col">Category</th>
                  {series.map((each) => (
                    <th key={each.name} scope="col">
                      {each.name}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {categories.map((category, index) => (
                  <tr key={category}>
                    <th scope="row">{category}</th>
                    {series.map((each) => (
                      <td key={each.name}>{formatValue(each.values[index] ?? 0)}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
        )
      }
    />
  );
}
