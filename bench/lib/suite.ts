/**
 * What a suite is and what it may ask of the runner. A suite is one async function that sets up
 * whatever it needs (buffers, child processes, connections) and records cases through its
 * context; the context owns measuring, ratios, targets and cleanup.
 */
import type { Op, SideHooks } from "./measure.js";
import type { CaseResult } from "./report.js";
import type { Target } from "./target.js";
import type { Timing } from "./timing.js";
import type { Unit } from "./units.js";

export interface Suite {
  /** Must equal the file name under bench/suites/ (without `.ts`). */
  name: string;
  description: string;
  run(ctx: SuiteContext): Promise<void>;
}

export interface SuiteContext {
  readonly smoke: boolean;
  readonly timing: Timing;
  /** Measures a case against its baseline in alternating rounds and records the row. */
  compare(spec: CompareSpec): Promise<CaseResult>;
  /** Measures one op with no baseline (an informational row). */
  measure(spec: MeasureSpec): Promise<CaseResult>;
  /** Records a value the suite measured itself (e.g. a wall time), optionally with a baseline. */
  record(spec: RecordSpec): CaseResult;
  /** Registers cleanup (kill a child, close a socket); runs in reverse order, even on failure. */
  defer(cleanup: () => unknown): void;
  /** Progress line on stderr, so that stdout stays the table. */
  log(message: string): void;
}

/**
 * One side of a case. Ops that keep several calls in flight (a window) set `settle` to finish
 * them between rounds and `latency` to report per-call p50/p99 (see SideHooks).
 */
export interface SideSpec extends SideHooks {
  name: string;
  run: Op;
  /** Bytes moved per op; required when the unit is MB/s. */
  bytesPerOp?: number;
  /**
   * On a baseline: set when it does work the case does not (etcd fsyncs every put, memfs does
   * not), so the ratio is no like-for-like comparison. A few words; the table shows them.
   */
  differs?: string;
}

export interface MeasureSpec extends SideSpec {
  unit: Unit;
  target?: Target;
  /**
   * Time each op individually and report p50/p99. Implied by latency units; use it for ops of
   * a few microseconds or more (an RPC), not for sub-microsecond ones, where the clock dominates.
   */
  timeEachOp?: boolean;
  note?: string;
}

export interface CompareSpec extends MeasureSpec {
  baseline: SideSpec;
}

export interface RecordSpec {
  name: string;
  value: number;
  unit: Unit;
  /** `differs` as on a SideSpec baseline (e.g. a configured bound rather than a measurement). */
  baseline?: { name: string; value: number; differs?: string };
  target?: Target;
  note?: string;
}
