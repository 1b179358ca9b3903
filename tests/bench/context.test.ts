import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createSuiteContext } from "../../bench/lib/context.js";
import { writeJsonReport } from "../../bench/lib/json.js";
import { measurePair } from "../../bench/lib/measure.js";
import { ratioAtLeast } from "../../bench/lib/target.js";
import type { Timing } from "../../bench/lib/timing.js";

const FAST: Timing = { warmupMs: 2, roundMs: 5, rounds: 4, minBatchMs: 0.05 };

function running() {
  return createSuiteContext({ smoke: true, timing: FAST, log: () => {} });
}

function spin(us: number): number {
  const end = performance.now() + us / 1000;
  let n = 0;
  while (performance.now() < end) n++;
  return n;
}

describe("measuring", () => {
  it("alternates rounds so both sides run for the same number of rounds", async () => {
    const order: string[] = [];
    let last = "";
    const note = (side: string) => () => {
      if (side !== last) order.push(side);
      last = side;
    };
    await measurePair(note("a"), note("b"), { timing: FAST, timeEachOp: false });
    // warm-up a, warm-up b, then ABBA: a b | b a | a b | b a
    expect(order.join("")).toBe("abababa");
  });

  it("finds the faster side faster, with ratio oriented for the unit", async () => {
    const { ctx } = running();
    const tput = await ctx.compare({
      name: "fast",
      unit: "ops/s",
      run: () => spin(20),
      baseline: { name: "slow", run: () => spin(60) },
      target: ratioAtLeast(1.2),
    });
    expect(tput.ratio).toBeGreaterThan(1.5);
    expect(tput.pass).toBe(true);

    const lat = await ctx.compare({
      name: "fast",
      unit: "us",
      run: () => spin(20),
      baseline: { name: "slow", run: () => spin(60) },
    });
    expect(lat.value).toBeLessThan(lat.baselineValue ?? 0);
    expect(lat.ratio).toBeGreaterThan(1.5);
    expect(lat.latency?.p99).toBeGreaterThanOrEqual(lat.latency?.p50 ?? Infinity);
  });

  it("awaits async ops", async () => {
    const { ctx } = running();
    const row = await ctx.measure({
      name: "timer",
      unit: "ms",
      run: () => new Promise((r) => setTimeout(r, 1)),
    });
    expect(row.value).toBeGreaterThanOrEqual(0.9);
  });
});

describe("suite context", () => {
  it("records rows, runs cleanups in reverse and collects their errors", async () => {
    const { ctx, cases, cleanup } = running();
    const done: number[] = [];
    ctx.defer(() => done.push(1));
    ctx.defer(() => {
      throw new Error("boom");
    });
    ctx.defer(async () => done.push(3));
    ctx.record({ name: "gen", value: 900, unit: "ms", baseline: { name: "old", value: 1800 } });
    expect(cases).toMatchObject([{ name: "gen", baseline: "old", ratio: 2 }]);
    const errors = await cleanup();
    expect(done).toEqual([3, 1]);
    expect(errors.map((e) => e.message)).toEqual(["boom"]);
  });

  it("refuses MB/s without bytesPerOp", async () => {
    const { ctx } = running();
    await expect(ctx.measure({ name: "x", unit: "MB/s", run: () => 0 })).rejects.toThrow(
      /bytesPerOp/,
    );
  });
});

describe("json report", () => {
  it("writes one suite as an object and several as an array", async () => {
    const dir = await mkdtemp(join(tmpdir(), "bench-json-"));
    try {
      const a = { suite: "a", smoke: true, cases: [] };
      const b = { suite: "b", smoke: true, cases: [] };
      await writeJsonReport(join(dir, "one.json"), [a]);
      await writeJsonReport(join(dir, "two.json"), [a, b]);
      expect(JSON.parse(await readFile(join(dir, "one.json"), "utf8"))).toEqual(a);
      expect(JSON.parse(await readFile(join(dir, "two.json"), "utf8"))).toEqual([a, b]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
