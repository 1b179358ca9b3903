/**
 * The shape of results: what the table shows and what `--json` writes, field for field.
 * docs/benchmarks.md documents it; change both together.
 */
import type { Target } from "./target.js";
import type { Unit } from "./units.js";

export interface SuiteReport {
  suite: string;
  /** True when produced by `--smoke`: the numbers exist but are not meaningful. */
  smoke: boolean;
  cases: CaseResult[];
  /** Set when the suite threw; cases then holds what was recorded before the failure. */
  error?: string;
}

export interface CaseResult {
  name: string;
  value: number;
  unit: Unit;
  /** Name of the baseline measured in the same run; null for informational rows. */
  baseline: string | null;
  baselineValue: number | null;
  /** Oriented so that >= 1 means at least as good as the baseline (see units.ts). */
  ratio: number | null;
  /** Present when the baseline does other work than the case: what differs. */
  baselineDiffers?: string;
  target?: Target;
  /** Whether the target was met; null when it could not be evaluated. */
  pass?: boolean | null;
  /** Per-op latency percentiles, present when the case timed each op. */
  latency?: LatencyStats;
  note?: string;
}

export interface LatencyStats {
  unit: "us";
  p50: number;
  p99: number;
  baselineP50?: number;
  baselineP99?: number;
}
