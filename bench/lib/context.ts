/**
 * The SuiteContext a suite receives: turns measurements into result rows (value, ratio, target,
 * percentiles) and keeps the cleanup stack.
 */
import { measureOne, measurePair, type SideStats } from "./measure.js";
import { percentilesOf } from "./percentile.js";
import type { CaseResult, LatencyStats } from "./report.js";
import type { CompareSpec, MeasureSpec, RecordSpec, SideSpec, SuiteContext } from "./suite.js";
import { meetsTarget, type Target } from "./target.js";
import type { Timing } from "./timing.js";
import { fromMs, isLatencyUnit, ratioOf, type Unit } from "./units.js";

export interface ContextOptions {
  smoke: boolean;
  timing: Timing;
  log: (message: string) => void;
}

export interface RunningSuite {
  ctx: SuiteContext;
  /** Rows recorded so far, in order. */
  cases: CaseResult[];
  /** Runs deferred cleanups, last registered first; collects rather than stops on errors. */
  cleanup(): Promise<Error[]>;
}

export function createSuiteContext(opts: ContextOptions): RunningSuite {
  const cases: CaseResult[] = [];
  const cleanups: (() => unknown)[] = [];

  const push = (row: CaseResult): CaseResult => {
    cases.push(row);
    return row;
  };

  const ctx: SuiteContext = {
    smoke: opts.smoke,
    timing: opts.timing,
    async compare(spec: CompareSpec) {
      opts.log(`${spec.name}: ${spec.baseline.name} vs case`);
      const timeEachOp = wantsEachOp(spec);
      const [base, mine] = await measurePair(
        spec.baseline.run,
        spec.run,
        { timing: opts.timing, timeEachOp },
        { baseline: spec.baseline, subject: spec },
      );
      const value = valueOf(spec.unit, mine, spec);
      const baselineValue = valueOf(spec.unit, base, spec.baseline);
      const row = withTarget(
        {
          name: spec.name,
          value,
          unit: spec.unit,
          baseline: spec.baseline.name,
          baselineValue,
          ratio: ratioOf(spec.unit, value, baselineValue),
        },
        spec.target,
      );
      if (spec.baseline.differs !== undefined) row.baselineDiffers = spec.baseline.differs;
      if (timeEachOp || hasProbe(spec) || hasProbe(spec.baseline)) {
        row.latency = latencyOf(mine, base);
      }
      return push(withNote(row, spec.note));
    },
    async measure(spec: MeasureSpec) {
      opts.log(spec.name);
      const timeEachOp = wantsEachOp(spec);
      const mine = await measureOne(spec.run, { timing: opts.timing, timeEachOp }, spec);
      const value = valueOf(spec.unit, mine, spec);
      const row = withTarget(informational(spec.name, value, spec.unit), spec.target);
      if (timeEachOp || hasProbe(spec)) row.latency = latencyOf(mine, null);
      return push(withNote(row, spec.note));
    },
    record(spec: RecordSpec) {
      const row = informational(spec.name, spec.value, spec.unit);
      if (spec.baseline) {
        row.baseline = spec.baseline.name;
        row.baselineValue = spec.baseline.value;
        row.ratio = ratioOf(spec.unit, spec.value, spec.baseline.value);
        if (spec.baseline.differs !== undefined) row.baselineDiffers = spec.baseline.differs;
      }
      return push(withNote(withTarget(row, spec.target), spec.note));
    },
    defer(cleanup) {
      cleanups.push(cleanup);
    },
    log: opts.log,
  };

  const cleanup = async (): Promise<Error[]> => {
    const errors: Error[] = [];
    while (cleanups.length > 0) {
      const fn = cleanups.pop();
      try {
        await fn?.();
      } catch (e) {
        errors.push(e instanceof Error ? e : new Error(String(e)));
      }
    }
    return errors;
  };

  return { ctx, cases, cleanup };
}

function wantsEachOp(spec: MeasureSpec): boolean {
  return spec.timeEachOp === true || isLatencyUnit(spec.unit);
}

function hasProbe(side: SideSpec): boolean {
  return side.latency !== undefined;
}

/** Throughput over the summed timed intervals; for latency units, the median op. */
function valueOf(unit: Unit, stats: SideStats, side: SideSpec): number {
  const seconds = stats.elapsedMs / 1000;
  if (isLatencyUnit(unit)) {
    const [p50] = percentilesOf(stats.opMs ?? [], [50]);
    return fromMs(p50 ?? NaN, unit);
  }
  if (unit === "ops/s") return stats.ops / seconds;
  if (side.bytesPerOp === undefined) {
    throw new Error(`${side.name}: unit MB/s needs bytesPerOp`);
  }
  return (stats.ops * side.bytesPerOp) / seconds / 1e6;
}

function latencyOf(mine: SideStats, base: SideStats | null): LatencyStats {
  const [p50 = NaN, p99 = NaN] = percentilesOf(mine.opMs ?? [], [50, 99]);
  const stats: LatencyStats = { unit: "us", p50: fromMs(p50, "us"), p99: fromMs(p99, "us") };
  if (base) {
    const [b50 = NaN, b99 = NaN] = percentilesOf(base.opMs ?? [], [50, 99]);
    stats.baselineP50 = fromMs(b50, "us");
    stats.baselineP99 = fromMs(b99, "us");
  }
  return stats;
}

function informational(name: string, value: number, unit: Unit): CaseResult {
  return { name, value, unit, baseline: null, baselineValue: null, ratio: null };
}

function withTarget(row: CaseResult, target: Target | undefined): CaseResult {
  if (!target) return row;
  return { ...row, target, pass: meetsTarget(target, row.value, row.ratio) };
}

function withNote(row: CaseResult, note: string | undefined): CaseResult {
  return note === undefined ? row : { ...row, note };
}
