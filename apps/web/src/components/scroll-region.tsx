import type { ReactNode } from "react";

/**
 * A wide table on a narrow screen scrolls sideways inside its own region instead of widening the
 * page. The region is focusable so that keyboard users can scroll it too, and its name says that
 * it scrolls. On a wide screen, where nothing overflows, it is a plain block.
 */
export function ScrollRegion({ label, children }: { label: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard to be scrolled
    <section className="table-scroll" tabIndex={0} aria-label={`${label} (scrolls sideways on a narrow screen)`}>
      {children}
    </section>
  );
}
