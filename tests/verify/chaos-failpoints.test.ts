/**
 * The harness can fail: each planted bug (runtime/failpoints.ts) makes a short chaos run fail,
 * and the same seed passes without it (tests/verify/chaos.test.ts runs the clean case too).
 */
import { describe, expect, it } from "vitest";
import { runChaosCli } from "./run-chaos.js";

const ARGS = ["--seconds", "3", "--clients", "4", "--seed", "1", "--faults", "cut"];

describe("chaos catches every failpoint", () => {
  it("passes without failpoints on the seed the failpoint runs use", async () => {
    const r = await runChaosCli(ARGS);
    expect(r.last).toMatch(
      /^chaos: linearizable, \d+ ops \(\d+ unknown\), faults: \d+ cuts, 0 kills, 0 pauses, seed 1$/,
    );
    expect(r.code).toBe(0);
  });

  const expected: Record<string, RegExp> = {
    // A resent request applied again: an append shows twice (or after a later one).
    "dedup-off": /^chaos: (NOT linearizable|FAILED \(client \d session order: .*\)), /,
    "stale-read": /^chaos: NOT linearizable, /,
    "lost-write": /^chaos: NOT linearizable, /,
    // Overlapping appends may be ordered either way by the checker: only session order sees it.
    reorder:
      /^chaos: FAILED \(client \d session order: o\d\.\d+\.\d applied after o\d\.\d+\.\d\), /,
  };
  for (const [failpoint, verdict] of Object.entries(expected)) {
    it(`${failpoint} is caught`, async () => {
      const r = await runChaosCli(ARGS, { SIGMA_FAILPOINTS: failpoint });
      expect(r.last).toMatch(verdict);
      expect(r.code).toBe(1);
    });
  }
});
