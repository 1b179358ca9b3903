import { describe, expect, it } from "vitest";
import { FAILPOINTS, parseFailpoints } from "../../runtime/failpoints.js";

describe("SIGMA_FAILPOINTS", () => {
  it("is off unless set", () => {
    expect(Object.values(FAILPOINTS).every((on) => !on)).toBe(true);
  });

  it("turns on the named failpoints", () => {
    expect(parseFailpoints(" dedup-off,reorder ")).toEqual({
      "dedup-off": true,
      "stale-read": false,
      "lost-write": false,
      reorder: true,
      "fence-off": false,
      "lease-late": false,
      "reply-lost": false,
      "hello-kill": false,
    });
  });

  it("refuses an unknown name, listing the known ones", () => {
    expect(() => parseFailpoints("dedup-off,slow")).toThrow(
      'SIGMA_FAILPOINTS: unknown failpoint "slow" (known: dedup-off, stale-read, lost-write, reorder, fence-off, lease-late, reply-lost, hello-kill)',
    );
  });
});
