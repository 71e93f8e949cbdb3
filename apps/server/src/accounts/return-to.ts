const base = "http://spar.invalid";

/**
 * Where to send a person after signing in: a path on this site, never another site. Anything
 * else (an absolute URL, `//host`, a backslash or tab trick) becomes "/".
 */
export function safeReturnTo(given: string | undefined): string {
  if (!given?.startsWith("/")) return "/";
  try {
    // Parsed the way a browser would, so its tricks (`/\host`, tabs) are undone before checking.
    const url = new URL(given, base);
    const path = `${url.pathname}${url.search}${url.hash}`;
    // The normalised path must be safe itself: "/.//host" becomes "//host", another site.
    return url.origin === base && !path.startsWith("//") ? path : "/";
  } catch {
    return "/";
  }
}
