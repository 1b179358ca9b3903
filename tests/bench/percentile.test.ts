import { describe, expect, it } from "vitest";
import { percentile, percentilesOf } from "../../bench/lib/percentile.js";

describe("percentile", () => {
  it("interpolates between closest ranks", () => {
    expect(percentile([4, 1, 3, 2], 50)).toBe(2.5);
    expect(percentilesOf([10, 20, 30, 40, 50], [0, 50, 100])).toEqual([10, 30, 50]);
    expect(percentile([1, 2], 99)).toBeCloseTo(1.99);
  });

  it("is NaN for no samples and the value itself for one", () => {
    expect(percentile([], 50)).toBeNaN();
    expect(percentile([7], 99)).toBe(7);
  });
});
