import { useEffect, useRef } from "react";
import { useLocation } from "react-router";

/** How long a new page may take to show its heading (it may wait for data first). */
const headingWaitMs = 10_000;

function pageHeading(): HTMLElement | null {
  return document.querySelector<HTMLElement>("main h1, #main h1");
}

/**
 * After every route change: names the browser tab after the page's heading ("History · Spar"),
 * and moves focus to that heading, so a keyboard or screen-reader user starts reading the new
 * page instead of the body. The heading may arrive after the page's data, so it is waited for.
 * On the first load, focus stays where the browser puts it; only the title is set.
 */
export function RouteFocus() {
  const location = useLocation();
  // The page last shown: null until the first one, whose focus the browser places.
  const shown = useRef<string | null>(null);

  useEffect(() => {
    const moveFocus = shown.current !== null && shown.current !== location.pathname;
    shown.current = location.pathname;
    let settled = false;
    const settle = (heading: HTMLElement) => {
      settled = true;
      const name = heading.textContent?.trim();
      document.title = name ? `${name} · Spar` : "Spar";
      if (!moveFocus) return;
      if (!heading.hasAttribute("tabindex")) heading.setAttribute("tabindex", "-1");
      heading.focus();
    };
    const now = pageHeading();
    if (now) {
      settle(now);
      return;
    }
    const observer = new MutationObserver(() => {
      const heading = pageHeading();
      if (heading && !settled) {
        observer.disconnect();
        settle(heading);
      }
    });
    observer.observe(document.body, { childList: true, subtree: true });
    const giveUp = window.setTimeout(() => observer.disconnect(), headingWaitMs);
    return () => {
      observer.disconnect();
      window.clearTimeout(giveUp);
    };
  }, [location.pathname]);

  return null;
}
