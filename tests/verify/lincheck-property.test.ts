import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  checkHistory,
  groupByPath,
  searchPath,
  Unknown,
  type Op,
} from "../../verify/lincheck/index.js";
import { bruteForceLinearizable } from "./brute-force.js";
import { corrupt, sequentialHistory } from "./sequential-history.js";

const small = { paths: 1, clients: 3, maxOps: 7, window: 3 };

describe("lincheck properties", () => {
  it("a history recorded from a sequential execution is linearizable", () => {
    fc.assert(
      fc.property(sequentialHistory({ paths: 4, clients: 6, maxOps: 120, window: 6 }), (h) => {
        const r = checkHistory(h);
        expect(r.violations).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it("with one output corrupted, it is linearizable exactly when brute force says so", () => {
    let caught = 0;
    fc.assert(
      fc.property(sequentialHistory(small), fc.nat(), fc.nat(), (h, pick, to) => {
        const bad = corrupt(h, pick, to);
        if (bad === undefined) return;
        const expected = bruteForceLinearizable(bad.ops);
        expect(checkHistory(bad).ok).toBe(expected);
        if (!expected) caught++;
      }),
      { numRuns: 500 },
    );
    // The property is not vacuous: most corruptions do break linearizability.
    expect(caught).toBeGreaterThan(100);
  });

  it("on arbitrary small histories the checker agrees with brute force", () => {
    const op = fc.record({
      client: fc.nat(2),
      call: fc.nat(20),
      len: fc.nat(8),
      unknown: fc.boolean(),
      op: fc.constantFrom("put", "get", "append", "remove", "create"),
      value: fc.constantFrom("a", "b"),
      out: fc.constantFrom<string | null>(null, "a", "b", "ab", "ok", "exists", "notfound"),
    });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 6 }), (raw) => {
        const ops = raw.map((r, index) => ({
          index,
          client: r.client,
          call: r.call,
          ret: r.unknown ? null : r.call + r.len,
          path: "x",
          op: r.op,
          value: r.op === "get" || r.op === "remove" ? null : r.value,
          output: r.unknown ? undefined : outputFor(r.op, r.out),
        }));
        expect(searchPath(ops).ok).toBe(bruteForceLinearizable(ops));
      }),
      { numRuns: 2000 },
    );
  });

  it("the window of a violation is itself not linearizable, and inside its path", () => {
    fc.assert(
      fc.property(
        sequentialHistory({ ...small, maxOps: 30, paths: 2 }),
        fc.nat(),
        fc.nat(),
        (h, pick, to) => {
          const bad = corrupt(h, pick, to);
          if (bad === undefined) return;
          for (const v of checkHistory(bad).violations) {
            const onPath = groupByPath(bad.ops).get(v.path) ?? [];
            expect(v.ops.every((i) => bad.ops[i]?.path === v.path)).toBe(true);
            expect(v.ops.length).toBeLessThanOrEqual(onPath.length);
            expect(v.ops.length).toBeGreaterThan(0);
            // The window fails on its own, even from a file that may hold anything.
            const window = v.ops.map((i) => bad.ops[i] as Op);
            const fromAnything = searchPath(window, { init: new Unknown("", true) }).ok;
            expect(fromAnything === false || searchPath(window).ok === false).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

function outputFor(op: string, out: string | null): string | null {
  if (op === "get") return out === "ok" || out === "exists" || out === "notfound" ? null : out;
  if (op === "remove") return out === "notfound" ? "notfound" : "ok";
  if (op === "create") return out === "exists" ? "exists" : "ok";
  return "ok";
}
