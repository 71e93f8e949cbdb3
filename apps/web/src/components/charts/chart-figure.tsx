import { type ReactNode, Suspense, useId, useState } from "react";

/**
 * A chart with its text alternative: a caption, the chart (loaded on demand, so the shared bundle
 * does not carry the chart library), and a button that shows the same figures as a table.
 */
export function ChartFigure({
  caption,
  chart,
  table,
  className = "",
}: {
  caption?: ReactNode;
  chart: ReactNode;
  table: ReactNode;
  className?: string;
}) {
  const [showTable, setShowTable] = useState(false);
  const tableId = useId();
  return (
    <figure className={`chart-figure ${className}`.trim()}>
      {caption && <figcaption>{caption}</figcaption>}
      <Suspense fallback={<p className="chart-loading muted">Loading the chart…</p>}>{chart}</Suspense>
      <button
        type="button"
        className="button subtle chart-table-toggle"
        aria-expanded={showTable}
        aria-controls={tableId}
        onClick={() => setShowTable((shown) => !shown)}
      >
        {showTable ? "Hide the table" : "Show as table"}
      </button>
      <div id={tableId} className="chart-table" hidden={!showTable}>
        {table}
      </div>
    </figure>
  );
}
