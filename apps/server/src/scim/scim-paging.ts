import SCIMMY from "scimmy";

/** The page a list request asked for: 1-based `startIndex` and `count`, as RFC 7644 §3.4.2.4. */
export interface ListPage {
  startIndex: number;
  count: number;
}

/** Largest page Spar returns (ServiceProviderConfig `filter.maxResults`). */
export const maxResults = 200;
export const defaultCount = 100;

type ErrorType = SCIMMY.Messages.ErrorResponse.ValidScimTypes;

export const scimError = (status: number, scimType: ErrorType | null, detail: string) =>
  // scimmy's own typing wants a string where RFC 7644 allows none; null leaves scimType out.
  new SCIMMY.Types.Error(status, scimType as string, detail);

/**
 * Tells scimmy's ListResponse that the page the database returned is everything it should show.
 * Left to itself it guesses whether it was handed the whole result and slices it by startIndex,
 * which cuts a page the database already offset; the route puts the requested startIndex back.
 */
export function showPage(resource: SCIMMY.Types.Resource, shown: number, total: number) {
  const constraints: NonNullable<SCIMMY.Types.Resource["constraints"]> & { totalResults: number } = { startIndex: 1, count: shown, totalResults: total };
  resource.constraints = constraints;
}

/** startIndex and count from the query string: RFC 7644 treats values below 1 as 1 and below 0 as 0. */
export function listPageOf(query: Record<string, unknown>): ListPage {
  const integer = (name: string, fallback: number) => {
    const given = query[name];
    if (given === undefined) return fallback;
    if (typeof given !== "string" || !/^-?\d{1,9}$/.test(given.trim())) {
      throw scimError(400, "invalidValue", `${name} must be a whole number, not '${String(given)}'.`);
    }
    return Number(given);
  };
  return { startIndex: Math.max(integer("startIndex", 1), 1), count: Math.min(Math.max(integer("count", defaultCount), 0), maxResults) };
}
