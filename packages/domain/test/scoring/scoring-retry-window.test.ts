import { describe, expect, it } from "vitest";
import { attemptsToCover, backoffMs } from "../../src/scoring/scoring-service.ts";

describe("scoring's retry window", () => {
  it("doubles the wait from the base and caps it", () => {
    expect([1, 2, 3, 4, 9, 10, 20].map((attempt) => backoffMs(attempt, 2_000, 300_000))).toEqual([2_000, 4_000, 8_000, 16_000, 300_000, 300_000, 300_000]);
  });

  it("keeps trying through an outage of the whole window before giving up", () => {
    const hour = 3_600_000;
    const attempts = attemptsToCover(hour, 2_000, 300_000);
    let waited = 0;
    for (let attempt = 1; attempt < attempts; attempt++) waited += backoffMs(attempt, 2_000, 300_000);
    expect(waited).toBeGreaterThanOrEqual(hour);
    // One attempt fewer would have given up inside the hour.
    expect(waited - backoffMs(attempts - 1, 2_000, 300_000)).toBeLessThan(hour);
    expect(attempts).toBe(20);
  });

  it("tries once when there is no window", () => {
    expect(attemptsToCover(0, 2_000, 300_000)).toBe(1);
  });
});
