/**
 * Latencies an op records itself. When an op overlaps others (a window of calls in flight),
 * timing each awaited op measures the gaps between completions, not how long a call took; such an
 * op times each call from issue to completion and hands the samples to the runner through this.
 */
import { Samples } from "./samples.js";

export interface LatencyProbe {
  /** Forgets what was recorded; the runner calls it when warm-up ends. */
  reset(): void;
  /** Per-call durations in ms, in completion order. */
  values(): Float64Array;
}

export class LatencyRecorder implements LatencyProbe {
  private samples = new Samples();

  record(ms: number): void {
    this.samples.push(ms);
  }

  reset(): void {
    this.samples = new Samples();
  }

  values(): Float64Array {
    return this.samples.values();
  }
}
