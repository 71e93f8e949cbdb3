import { useEffect } from "react";
import { type Blocker, useBlocker } from "react-router";

/**
 * Keeps an author from losing unpublished edits by leaving. Closing or reloading the tab gets the
 * browser's own prompt (browsers show their own words, never the page's); a link inside Spar is
 * held by react-router until the author confirms, which the returned blocker's state says.
 */
export function useUnsavedChangesGuard(unsaved: boolean): Blocker {
  useEffect(() => {
    if (!unsaved) return;
    const prompt = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      // Older browsers show the prompt only when returnValue is set.
      event.returnValue = "";
    };
    window.addEventListener("beforeunload", prompt);
    return () => window.removeEventListener("beforeunload", prompt);
  }, [unsaved]);
  // Only leaving the page counts; a change of query string or hash stays on the same edit.
  return useBlocker(
    ({ currentLocation, nextLocation }) => unsaved && currentLocation.pathname !== nextLocation.pathname,
  );
}
