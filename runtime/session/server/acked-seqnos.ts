/**
 * The seqnos a session's client has acknowledged (spec 3.4), kept after their replies are
 * forgotten so that a request replayed after its ack is refused instead of run a second time.
 * Below the floor every seqno is acknowledged; above it, the acknowledged runs that are not yet
 * contiguous with the floor (a parked request holds it back) are kept as intervals.
 *
 * Memory is bounded: past MAX_RUNS runs the highest ones are dropped. That only forgets that a
 * seqno was acked (a replay of it would run again, the behaviour without this table), never
 * refuses a seqno that was not acked.
 */
import { IntervalSet } from "../shared/intervals.js";

const MAX_RUNS = 1024;

export class AckedSeqnos {
  /** Every seqno in [1, floor] is acknowledged. */
  floor = 0;
  readonly #above = new IntervalSet();

  /** Whether `seqno` (below 2^53) was acknowledged. */
  has(seqno: number): boolean {
    return seqno <= this.floor || (!this.#above.isEmpty() && this.#above.contains(seqno));
  }

  /** Records [start, end) as acknowledged (numbers below 2^53). */
  add(start: number, end: number): void {
    const from = start > this.floor ? start : this.floor + 1;
    if (end <= from) return;
    if (from === this.floor + 1 && this.#above.isEmpty()) {
      this.floor = end - 1;
      return;
    }
    const above = this.#above;
    above.insert(from, end);
    let low = above.lowest();
    while (low !== undefined && low.start <= this.floor + 1) {
      if (low.end - 1 > this.floor) this.floor = low.end - 1;
      above.takeLowest();
      low = above.lowest();
    }
    if (above.size > MAX_RUNS) {
      const runs = above.toArray();
      for (let i = runs.length - 1; i >= MAX_RUNS; i--) above.delete(runs[i]!.start, runs[i]!.end);
    }
  }
}
