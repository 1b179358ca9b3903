import { describe, expect, it } from "vitest";
import { describeMisses, EXIT, exitStatus, missedTargets } from "../../bench/lib/check.js";
import { createSuiteContext } from "../../bench/lib/context.js";
import type { CaseResult, SuiteReport } from "../../bench/lib/report.js";
import { renderTable } from "../../bench/lib/table.js";
import {
  describeTarget,
  meetsTarget,
  ratioAtLeast,
  valueAtLeast,
  valueBetween,
} from "../../bench/lib/target.js";

const row = (name: string, extra: Partial<CaseResult> = {}): CaseResult => ({
  name,
  value: 10,
  unit: "ms",
  baseline: null,
  baselineValue: null,
  ratio: null,
  ...extra,
});

const report = (cases: CaseResult[], extra: Partial<SuiteReport> = {}): SuiteReport => ({
  suite: "s",
  smoke: false,
  cases,
  ...extra,
});

const met = row("met", { target: valueAtLeast(5), pass: true });
const missed = row("missed", { target: valueAtLeast(50), pass: false });
const unjudged = row("unjudged", { target: ratioAtLeast(1), pass: null });
const plain = row("plain");

describe("range targets", () => {
  it("hold both ends, inclusive, on the value or the ratio", () => {
    const t = valueBetween(300, 400);
    expect([299.9, 300, 350, 400, 400.1].map((v) => meetsTarget(t, v, null))).toEqual([
      false,
      true,
      true,
      true,
      false,
    ]);
    expect(meetsTarget({ of: "ratio", min: 0.5, max: 1 }, 999, 0.7)).toBe(true);
    expect(meetsTarget({ of: "ratio", min: 0.5, max: 1 }, 999, null)).toBeNull();
    expect(describeTarget(t)).toBe("value in [300, 400]");
    expect(() => valueBetween(2, 1)).toThrow(/empty range/);
  });
});

describe("--check", () => {
  it("counts missed and unjudged targets of full runs, in run order", () => {
    const misses = missedTargets([
      report([met, missed, plain]),
      report([unjudged], { suite: "t" }),
    ]);
    expect(misses.map((m) => `${m.suite}/${m.case}:${m.pass}`)).toEqual([
      "s/missed:false",
      "t/unjudged:null",
    ]);
    expect(describeMisses(misses)).toEqual([
      "s/missed: value ≥ 50 got 10",
      "t/unjudged: ratio ≥ 1 could not be evaluated",
    ]);
  });

  it("never checks smoke runs", () => {
    expect(missedTargets([report([missed, unjudged], { smoke: true })])).toEqual([]);
    expect(exitStatus([report([missed], { smoke: true })], true)).toBe(EXIT.ok);
  });

  it("exit status: 0 when targets are met or not checked, 3 on a miss, 1 when a suite failed", () => {
    expect(exitStatus([report([met, plain])], true)).toBe(EXIT.ok);
    expect(exitStatus([report([missed])], false)).toBe(EXIT.ok);
    expect(exitStatus([report([missed])], true)).toBe(EXIT.targetMissed);
    expect(exitStatus([report([unjudged])], true)).toBe(EXIT.targetMissed);
    expect(exitStatus([report([missed]), report([], { error: "boom" })], true)).toBe(
      EXIT.suiteFailed,
    );
    expect(exitStatus([report([], { error: "boom" })], false)).toBe(EXIT.suiteFailed);
    expect([EXIT.ok, EXIT.suiteFailed, EXIT.usage, EXIT.targetMissed]).toEqual([0, 1, 2, 3]);
  });

  it("a range target recorded by a suite is judged on the row", () => {
    const { ctx, cases } = createSuiteContext({
      smoke: false,
      timing: { warmupMs: 1, roundMs: 1, rounds: 2, minBatchMs: 0.05 },
      log: () => {},
    });
    const timeout = { name: "session-timeout", value: 300, differs: "a configured bound" };
    ctx.record({
      name: "early",
      value: 250,
      unit: "ms",
      baseline: timeout,
      target: valueBetween(300, 400),
    });
    ctx.record({
      name: "late",
      value: 450,
      unit: "ms",
      baseline: timeout,
      target: valueBetween(300, 400),
    });
    ctx.record({
      name: "ok",
      value: 320,
      unit: "ms",
      baseline: timeout,
      target: valueBetween(300, 400),
    });
    expect(cases.map((c) => c.pass)).toEqual([false, false, true]);
    expect(missedTargets([report(cases)]).map((m) => m.case)).toEqual(["early", "late"]);
  });
});

describe("baselines that do other work", () => {
  it("are marked in the table and carried in the JSON row", async () => {
    const { ctx, cases } = createSuiteContext({
      smoke: true,
      timing: { warmupMs: 1, roundMs: 1, rounds: 2, minBatchMs: 0.05 },
      log: () => {},
    });
    await ctx.compare({
      name: "put-vs-durable",
      unit: "ops/s",
      run: () => 1,
      baseline: { name: "durable-put", run: () => 2, differs: "fsyncs each put" },
    });
    ctx.record({ name: "same-work", value: 1, unit: "ms", baseline: { name: "other", value: 2 } });
    expect(cases[0]?.baselineDiffers).toBe("fsyncs each put");
    expect(cases[1]).not.toHaveProperty("baselineDiffers");
    const table = renderTable(report(cases));
    expect(table).toContain("baseline does other work");
    expect(table).toContain("durable-put ≠");
    expect(table).toContain("fsyncs each put");
    expect(table).not.toContain("other ≠");
    // Without such a row the column is not shown at all.
    expect(renderTable(report([cases[1]!]))).not.toContain("baseline does other work");
  });
});
