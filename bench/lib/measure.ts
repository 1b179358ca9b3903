/**
 * The measuring loop: warm-up, then fixed-duration rounds. Two sides (baseline and case) run in
 * alternating rounds in ABBA order (A B B A A B B A ...) so that slow drift of the machine (CPU
 * frequency, a neighbour's load, heap growth) falls on both sides equally instead of on whichever
 * side happens to run later.
 */
import type { LatencyProbe } from "./latency-probe.js";
import { Samples } from "./samples.js";
import type { Timing } from "./timing.js";

/** One operation; may return a promise, which the loop awaits before the next op. */
export type Op = () => unknown;

export interface MeasureOptions {
  timing: Timing;
  /** Time every op on its own (for p50/p99); otherwise ops are timed in calibrated batches. */
  timeEachOp: boolean;
}

/** Optional per-side hooks for ops that leave work in flight when they return. */
export interface SideHooks {
  /**
   * Finishes whatever the op left in flight (calls of a window not yet answered). Awaited,
   * untimed, after warm-up and after every round, so that none of one side's work runs during
   * the other side's round.
   */
  settle?: () => unknown;
  /** Latencies the op records itself; when set, they are the side's per-op samples. */
  latency?: LatencyProbe;
}

export interface SideStats {
  ops: number;
  /** Sum of the timed intervals; loop bookkeeping between batches is excluded. */
  elapsedMs: number;
  /** Per-op durations in ms when timing each op, else null. */
  opMs: Float64Array | null;
}

/** Measures one op alone (informational rows). */
export async function measureOne(
  op: Op,
  opts: MeasureOptions,
  hooks: SideHooks = {},
): Promise<SideStats> {
  const side = new Side(op, opts.timeEachOp, hooks);
  await side.warmUp(opts.timing);
  side.reset();
  for (let r = 0; r < Math.max(1, opts.timing.rounds); r++) await side.round(opts.timing.roundMs);
  return side.stats();
}

/** Measures baseline and case in alternating ABBA rounds; returns [baseline, case]. */
export async function measurePair(
  baseline: Op,
  subject: Op,
  opts: MeasureOptions,
  hooks: { baseline?: SideHooks; subject?: SideHooks } = {},
): Promise<[SideStats, SideStats]> {
  const a = new Side(baseline, opts.timeEachOp, hooks.baseline ?? {});
  const b = new Side(subject, opts.timeEachOp, hooks.subject ?? {});
  await a.warmUp(opts.timing);
  await b.warmUp(opts.timing);
  a.reset();
  b.reset();
  for (let r = 0; r < Math.max(1, opts.timing.rounds); r++) {
    const [first, second] = r % 2 === 0 ? [a, b] : [b, a];
    await first.round(opts.timing.roundMs);
    await second.round(opts.timing.roundMs);
  }
  return [a.stats(), b.stats()];
}

/** The last op result, kept where the optimizer must assume someone reads it. */
export function lastResult(): unknown {
  return sink;
}

let sink: unknown;

// Batches never grow past this, so that one batch cannot overrun a short smoke round by much.
const MAX_BATCH = 1 << 20;

class Side {
  private batch = 1;
  private isAsync = false;
  private ops = 0;
  private elapsedMs = 0;
  private samples: Samples | null;

  constructor(
    private readonly op: Op,
    private readonly timeEachOp: boolean,
    private readonly hooks: SideHooks,
  ) {
    this.samples = timeEachOp ? new Samples() : null;
  }

  /** Runs for warmupMs, deciding sync vs async and growing the batch to minBatchMs. */
  async warmUp(timing: Timing): Promise<void> {
    const first = this.op();
    if (isThenable(first)) {
      this.isAsync = true;
      await first;
    }
    const end = performance.now() + timing.warmupMs;
    do {
      const ms = await this.timeBatch();
      if (!this.timeEachOp && ms < timing.minBatchMs && this.batch < MAX_BATCH) this.batch *= 2;
    } while (performance.now() < end);
    await this.hooks.settle?.();
  }

  reset(): void {
    this.ops = 0;
    this.elapsedMs = 0;
    this.samples = this.timeEachOp ? new Samples() : null;
    this.hooks.latency?.reset();
  }

  async round(ms: number): Promise<void> {
    const end = performance.now() + ms;
    for (;;) {
      const batchMs = await this.timeBatch();
      this.ops += this.batch;
      this.elapsedMs += batchMs;
      this.samples?.push(batchMs);
      if (performance.now() >= end) break;
    }
    await this.hooks.settle?.();
  }

  stats(): SideStats {
    const opMs = this.hooks.latency?.values() ?? this.samples?.values() ?? null;
    return { ops: this.ops, elapsedMs: this.elapsedMs, opMs };
  }

  private timeBatch(): Promise<number> | number {
    return this.isAsync ? this.timeAsyncBatch() : this.timeSyncBatch();
  }

  private timeSyncBatch(): number {
    const op = this.op;
    const n = this.batch;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) sink = op();
    return performance.now() - t0;
  }

  private async timeAsyncBatch(): Promise<number> {
    const op = this.op;
    const n = this.batch;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) sink = await op();
    return performance.now() - t0;
  }
}

function isThenable(x: unknown): x is PromiseLike<unknown> {
  return (
    typeof x === "object" && x !== null && typeof (x as { then?: unknown }).then === "function"
  );
}
