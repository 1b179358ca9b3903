/**
 * Keeps `depth` calls in flight through the runner's one-op-at-a-time loop: each op issues one
 * call and waits for the call issued `depth` ops earlier. So one op is one call, ops/s is calls
 * per second, and the window is full in steady state. The first `depth` ops of a round wait for
 * nothing, which pays back the time the empty pipeline takes to deliver its first reply.
 *
 * Each call's own latency (issue to completion, queueing included) goes to `latency`; `settle`
 * drains the window between rounds so that no call runs during the other side's round.
 */
import { LatencyRecorder } from "../../lib/latency-probe.js";

const RESOLVED: Promise<void> = Promise.resolve();

export class CallWindow {
  readonly latency = new LatencyRecorder();
  private readonly ring: (Promise<void> | undefined)[];
  private next = 0;
  private failure: { error: unknown } | null = null;

  constructor(
    private readonly call: () => Promise<unknown>,
    readonly depth: number,
  ) {
    this.ring = new Array<Promise<void> | undefined>(depth).fill(undefined);
  }

  /** The benchmark op. */
  readonly op = (): Promise<void> => {
    // Calls never reject into the ring (nobody may be waiting on them yet); a failure is
    // raised by the next op instead.
    if (this.failure) return Promise.reject(this.failure.error);
    const i = this.next;
    const oldest = this.ring[i];
    this.ring[i] = this.issue();
    this.next = i + 1 === this.depth ? 0 : i + 1;
    return oldest ?? RESOLVED;
  };

  /** Waits for every call in flight and empties the window. */
  readonly settle = async (): Promise<void> => {
    await Promise.all(this.ring);
    this.ring.fill(undefined);
    this.next = 0;
    if (this.failure) throw this.failure.error;
  };

  private issue(): Promise<void> {
    const t0 = performance.now();
    return this.call().then(
      () => this.latency.record(performance.now() - t0),
      (error: unknown) => {
        this.failure ??= { error };
      },
    );
  }
}
