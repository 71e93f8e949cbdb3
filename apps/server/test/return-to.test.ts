import { describe, expect, it } from "vitest";
import { safeReturnTo } from "../src/accounts/return-to.ts";

describe("where a person lands after signing in", () => {
  it.each([
    ["/history", "/history"],
    ["/history?scenario=feedback#latest", "/history?scenario=feedback#latest"],
    ["/a/../review", "/review"],
  ])("keeps the path %s on this site", (given, expected) => {
    expect(safeReturnTo(given)).toBe(expected);
  });

  it.each([
    undefined,
    "",
    "history",
    "https://evil.example/",
    "//evil.example",
    "/\\evil.example",
    "/\t/evil.example",
    "/.//evil.example",
    "javascript:alert(1)",
  ])("sends %j home instead", (given) => {
    expect(safeReturnTo(given)).toBe("/");
  });
});
