/**
 * How long the measuring loop runs. One interface, two presets; a suite never re-defaults these,
 * it reads `ctx.timing` (and `ctx.smoke` for the few things, like repeat counts, it controls).
 */
export interface Timing {
  /** Warm-up per side before any measured round, so that both sides are JIT-compiled. */
  warmupMs: number;
  /** Length of one measured round of one side. */
  roundMs: number;
  /** Measured rounds per side; even, because rounds are ordered ABBA (see measure.ts). */
  rounds: number;
  /** Ops are timed in batches of at least this length so that the clock's cost vanishes. */
  minBatchMs: number;
}

/** About 2 s measured per side, in 10 rounds of 200 ms. */
export const FULL_TIMING: Timing = { warmupMs: 300, roundMs: 200, rounds: 10, minBatchMs: 0.2 };

/** Enough to run every code path and produce every number in a fraction of a second per case. */
export const SMOKE_TIMING: Timing = { warmupMs: 20, roundMs: 25, rounds: 4, minBatchMs: 0.05 };

export function timingFor(smoke: boolean, overrides: Partial<Timing> = {}): Timing {
  return { ...(smoke ? SMOKE_TIMING : FULL_TIMING), ...overrides };
}
