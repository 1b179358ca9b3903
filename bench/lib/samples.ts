/**
 * A growable buffer of per-op durations. Plain arrays of doubles would box on some paths and
 * allocate in the timed loop; a typed array that doubles in place does neither.
 */
export class Samples {
  private buf = new Float64Array(1024);
  private n = 0;

  push(x: number): void {
    if (this.n === this.buf.length) {
      const next = new Float64Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.n++] = x;
  }

  get length(): number {
    return this.n;
  }

  values(): Float64Array {
    return this.buf.subarray(0, this.n);
  }
}
