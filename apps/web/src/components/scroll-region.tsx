import { type ReactNode, useEffect, useRef, useState } from "react";

/**
 * A wide table's frame. While everything fits it is invisible; once its content is wider than the
 * screen it says so in words, becomes a labelled region keyboard users can focus and scroll with
 * the arrow keys, and keeps its first column in place (`.scroll-region` in the stylesheet).
 */
export function ScrollRegion({ label, children }: { label: string; children: ReactNode }) {
  const frame = useRef<HTMLDivElement>(null);
  const [scrolls, setScrolls] = useState(false);

  useEffect(() => {
    const element = frame.current;
    if (!element) return;
    const measure = () => setScrolls(element.scrollWidth > element.clientWidth + 1);
    measure();
    // The frame narrows with the window; the table widens when its data arrives or a column sorts.
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    if (element.firstElementChild) observer.observe(element.firstElementChild);
    return () => observer.disconnect();
  }, []);

  return (
    <>
      {scrolls && (
        <p className="scroll-hint" aria-hidden="true">
          Scroll sideways to see every column <span className="scroll-hint-arrow">→</span>
        </p>
      )}
      <div
        ref={frame}
        className={scrolls ? "table-scroll scroll-region scrolls" : "table-scroll scroll-region"}
        // Focusable only when there is something to scroll to, so the tab order stays short.
        {...(scrolls ? { tabIndex: 0, role: "region", "aria-label": `${label} (scrolls sideways)` } : {})}
      >
        {children}
      </div>
    </>
  );
}
