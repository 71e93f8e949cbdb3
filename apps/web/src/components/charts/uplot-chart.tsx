import { type KeyboardEvent, useLayoutEffect, useRef, useState } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import "./charts.css";

/** A label placed along the category or date axis, in CSS pixels from the start of the plot area. */
export interface AxisLabel {
  key: string;
  text: string;
  offset: number;
}

export interface UplotChartSpec {
  /** The chart's accessible name, with how to read it by keyboard added here. */
  label: string;
  /** How many points the keyboard steps through (data index 0 to count - 1). */
  count: number;
  height: number;
  /** uPlot's options for this width; width and height are added here. */
  options: (width: number) => Omit<uPlot.Options, "width" | "height">;
  data: uPlot.AlignedData;
  /** What point `index` says, on hover, on keyboard focus and to screen readers. */
  describe: (index: number) => string;
  /** Where point `index` sits in the plot area, in CSS pixels: the cursor and the tooltip go there. */
  anchor: (chart: uPlot, index: number) => { left: number; top: number };
  /** The date or category labels, drawn as text beside the canvas so they wrap and zoom with the page. */
  axisLabels: (chart: uPlot) => AxisLabel[];
  /** "bottom" under a line chart's dates; "left" beside horizontal bars' categories. */
  axisSide: "bottom" | "left";
}

interface PlotBox {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * One uPlot chart sized to its container (ResizeObserver, so it fits a phone), with a tooltip on
 * hover, a keyboard cursor (Left and Right, Home and End) announced in a live region, and its date
 * or category labels as HTML. uPlot draws on a canvas and sets styles through the DOM, which the
 * Content-Security-Policy allows; its style sheet is imported as a file.
 */
export function UplotChart({ spec }: { spec: UplotChartSpec }) {
  const wrapper = useRef<HTMLDivElement>(null);
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);
  const [active, setActive] = useState<number | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const [box, setBox] = useState<PlotBox | null>(null);
  const [labels, setLabels] = useState<AxisLabel[]>([]);

  useLayoutEffect(() => {
    const element = host.current;
    const outer = wrapper.current;
    if (!element || !outer) return;
    const measure = (plot: uPlot) => {
      const over = plot.over.getBoundingClientRect();
      const frame = outer.getBoundingClientRect();
      setBox({ left: over.left - frame.left, top: over.top - frame.top, width: over.width, height: over.height });
      setLabels(spec.axisLabels(plot));
    };
    const create = (width: number) => {
      const plot = new uPlot(
        {
          ...spec.options(width),
          width,
          height: spec.height,
          legend: { show: false },
          hooks: {
            setCursor: [(self) => setActive(self.cursor.idx ?? null)],
            draw: [measure],
          },
        },
        spec.data,
        element,
      );
      chart.current = plot;
    };
    const observer = new ResizeObserver(([entry]) => {
      const width = Math.floor(entry?.contentRect.width ?? 0);
      if (width <= 0) return;
      if (!chart.current) create(width);
      else if (Math.abs(chart.current.width - width) >= 1) chart.current.setSize({ width, height: spec.height });
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      chart.current?.destroy();
      chart.current = null;
    };
    // New figures (a refetch) make a new chart: the scales and the height follow from them.
  }, [spec]);

  const moveTo = (index: number) => {
    const plot = chart.current;
    if (!plot) return;
    plot.setCursor(spec.anchor(plot, index));
    setActive(index);
    setAnnouncement(spec.describe(index));
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const last = spec.count - 1;
    if (last < 0) return;
    // Up and Down are left to scroll the page.
    const next: Record<string, number> = {
      ArrowRight: active === null ? 0 : Math.min(active + 1, last),
      ArrowLeft: active === null ? last : Math.max(active - 1, 0),
      Home: 0,
      End: last,
    };
    const index = next[event.key];
    if (index === undefined) return;
    event.preventDefault();
    moveTo(index);
  };
  const onBlur = () => {
    chart.current?.setCursor({ left: -10, top: -10 });
    setActive(null);
  };

  const point = active !== null && chart.current && box ? spec.anchor(chart.current, active) : null;
  return (
    <div className={`chart chart-axis-${spec.axisSide}`} ref={wrapper}>
      {/* biome-ignore lint/a11y/useSemanticElements: a focusable chart has no element of its own; it is a named group of points */}
      <div
        ref={host}
        className="chart-plot"
        role="group"
        aria-roledescription="chart"
        aria-label={`${spec.label}. Use the left and right arrow keys to read each value.`}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: the arrow keys move a cursor through the chart's values
        tabIndex={0}
        onKeyDown={onKeyDown}
        onBlur={onBlur}
      />
      {box && (
        <ol className="chart-axis-labels" aria-hidden="true">
          {labels.map((label) => (
            <li
              key={label.key}
              style={
                spec.axisSide === "bottom"
                  ? { left: box.left + label.offset, top: box.top + box.height }
                  : { top: box.top + label.offset, left: 0, width: box.left }
              }
            >
              {label.text}
            </li>
          ))}
        </ol>
      )}
      {point && box && active !== null && (
        <div
          className="chart-tooltip"
          aria-hidden="true"
          style={{ left: Math.min(Math.max(box.left + point.left, 60), box.left + box.width - 60), top: box.top + point.top }}
        >
          {spec.describe(active)}
        </div>
      )}
      <p className="visually-hidden" aria-live="polite">
        {announcement}
      </p>
    </div>
  );
}
