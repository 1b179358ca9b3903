import { describe, expect, it } from "vitest";
import { meetsTarget, ratioAtLeast, valueBelow } from "../../bench/lib/target.js";
import { ratioOf } from "../../bench/lib/units.js";

describe("ratioOf", () => {
  it("is value / baseline for throughput and baseline / value for latency", () => {
    expect(ratioOf("ops/s", 300, 200)).toBe(1.5);
    expect(ratioOf("MB/s", 100, 200)).toBe(0.5);
    expect(ratioOf("us", 20, 30)).toBe(1.5);
    expect(ratioOf("ms", 40, 20)).toBe(0.5);
  });

  it("is null when either side is not a positive number", () => {
    expect(ratioOf("ops/s", 0, 10)).toBeNull();
    expect(ratioOf("us", 10, NaN)).toBeNull();
  });
});

describe("meetsTarget", () => {
  it("checks ratio targets on the ratio and value targets on the value", () => {
    expect(meetsTarget(ratioAtLeast(1.2), 999, 1.2)).toBe(true);
    expect(meetsTarget(ratioAtLeast(1.2), 999, 1.19)).toBe(false);
    expect(meetsTarget(valueBelow(1500), 1499, null)).toBe(true);
    expect(meetsTarget(valueBelow(1500), 1500, 2)).toBe(false);
  });

  it("cannot judge a ratio target on a row without baseline", () => {
    expect(meetsTarget(ratioAtLeast(1), 5, null)).toBeNull();
  });
});
