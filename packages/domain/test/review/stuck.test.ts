import { describe, expect, it } from "vitest";
import { isStuck } from "../../src/review/team-overview.ts";

describe("the stuck flag", () => {
  it("needs enough attempts", () => {
    expect(isStuck([1.5, 1.5], 3)).toBe(false);
  });
  it("flags attempts that never get past the first of them, below proficient", () => {
    expect(isStuck([2, 2, 2], 3)).toBe(true);
    expect(isStuck([3.5, 1, 2, 2, 1.5], 3)).toBe(true);
  });
  it("does not flag progress, or someone already proficient", () => {
    expect(isStuck([1, 1.5, 2], 3)).toBe(false);
    expect(isStuck([3.5, 3.5, 3.5], 3)).toBe(false);
  });
});
