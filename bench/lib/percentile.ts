/**
 * Percentiles by linear interpolation between closest ranks, so that p50 of an even-sized
 * sample is the midpoint and small samples (smoke runs) still give sensible p99s.
 */

/** Returns the p-th percentile (0..100) of samples; NaN when there are none. */
export function percentile(samples: ArrayLike<number>, p: number): number {
  return percentilesOf(samples, [p])[0] ?? NaN;
}

/** Several percentiles of one sample with a single sort. */
export function percentilesOf(samples: ArrayLike<number>, ps: readonly number[]): number[] {
  const sorted = Float64Array.from(samples).sort();
  return ps.map((p) => pickSorted(sorted, p));
}

function pickSorted(sorted: Float64Array, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const clamped = Math.min(100, Math.max(0, p));
  const rank = (clamped / 100) * (n - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const a = sorted[lo] ?? NaN;
  const b = sorted[hi] ?? NaN;
  return a + (b - a) * (rank - lo);
}
