/**
 * The simulation catches every planted bug (runtime/failpoints.ts, set in process): each finds
 * a failing seed within the first 20, failing as docs/verification.md says, and every seed up to
 * it passes without the failpoint.
 */
import { describe, expect, it } from "vitest";
import { runSeed, SIM_DEFAULTS, type SimResult } from "../../verify/sim/run-seed.js";

const WITHIN = 20;

async function firstFailure(failpoints: string): Promise<SimResult | undefined> {
  for (let seed = 1; seed <= WITHIN; seed++) {
    const r = await runSeed({ ...SIM_DEFAULTS, seed, failpoints });
    if (!r.ok) return r;
  }
  return undefined;
}

const expected: Record<string, RegExp> = {
  "dedup-off": /^sim: seed \d+: (NOT linearizable|FAILED \(client \d session order: .*\)), /,
  "stale-read": /^sim: seed \d+: NOT linearizable, /,
  "lost-write": /^sim: seed \d+: NOT linearizable, /,
  // Overlapping appends may be ordered either way by the checker: only session order sees it.
  reorder:
    /^sim: seed \d+: FAILED \(client \d session order: o\d\.\d+\.\d applied after o\d\.\d+\.\d\), /,
};

describe("the simulation catches every failpoint", () => {
  for (const [failpoint, verdict] of Object.entries(expected)) {
    it(`${failpoint} fails a seed within ${WITHIN}, which passes without it, as every seed before it`, async () => {
      const failed = await firstFailure(failpoint);
      expect(failed?.summary).toMatch(verdict);
      // Every seed up to the failing one passes without the failpoint.
      for (let seed = 1; seed <= (failed as SimResult).seed; seed++) {
        const clean = await runSeed({ ...SIM_DEFAULTS, seed });
        expect(clean.problems).toEqual([]);
        expect(clean.ok).toBe(true);
      }
    });
  }
});
