/**
 * Units a benchmark value can carry, and which way is better for each. Ratios are always
 * oriented so that ratio >= 1 means "at least as good as the baseline", whichever the unit.
 */

export type ThroughputUnit = "ops/s" | "MB/s";
export type LatencyUnit = "ns" | "us" | "ms" | "s";
/** Memory held (e.g. a server's RSS), 2^20 bytes; recorded by suites, never measured by the loop. */
export type SizeUnit = "MiB";
export type Unit = ThroughputUnit | LatencyUnit | SizeUnit;

const MS_PER_UNIT: Record<LatencyUnit, number> = { ns: 1e-6, us: 1e-3, ms: 1, s: 1000 };

export function isLatencyUnit(unit: Unit): unit is LatencyUnit {
  return unit in MS_PER_UNIT;
}

/** Units where a smaller value is the better one: latencies and sizes. */
export function lowerIsBetter(unit: Unit): boolean {
  return isLatencyUnit(unit) || unit === "MiB";
}

/** Converts a duration in milliseconds to the given latency unit. */
export function fromMs(ms: number, unit: LatencyUnit): number {
  return ms / MS_PER_UNIT[unit];
}

/**
 * value / baseline for throughput, baseline / value for latency and size; null when either side is not a
 * positive finite number (a ratio against zero says nothing).
 */
export function ratioOf(unit: Unit, value: number, baselineValue: number): number | null {
  if (!(value > 0 && baselineValue > 0) || !isFinite(value) || !isFinite(baselineValue)) {
    return null;
  }
  return lowerIsBetter(unit) ? baselineValue / value : value / baselineValue;
}

/** The label shown in tables (`us` reads as µs there; JSON keeps the ASCII name). */
export function unitLabel(unit: Unit): string {
  return unit === "us" ? "µs" : unit;
}
