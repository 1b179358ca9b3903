/**
 * Per-method call statistics, kept by both ends (spec 8): the server's go into its `stats` file,
 * a client's are its own round trips.
 */

/** One method's numbers, with SigmaOS's names and units. */
export interface MethodStat {
  /** Calls completed, failed ones included. */
  N: number;
  /** Total time, µs. */
  Tot: number;
  /** Longest call, µs. */
  Max: number;
  /** Mean time, ms. */
  Avg: number;
}

export class RpcStats {
  readonly #byMethod = new Map<string, { n: number; tot: number; max: number }>();

  /** One call of `method` that took `micros`. */
  record(method: string, micros: number): void {
    let s = this.#byMethod.get(method);
    if (s === undefined) {
      s = { n: 0, tot: 0, max: 0 };
      this.#byMethod.set(method, s);
    }
    s.n++;
    s.tot += micros;
    if (micros > s.max) s.max = micros;
  }

  snapshot(): Record<string, MethodStat> {
    const out: Record<string, MethodStat> = {};
    for (const [method, s] of [...this.#byMethod].sort(([a], [b]) => (a < b ? -1 : 1))) {
      out[method] = {
        N: s.n,
        Tot: Math.round(s.tot),
        Max: Math.round(s.max),
        Avg: s.n === 0 ? 0 : s.tot / s.n / 1000,
      };
    }
    return out;
  }
}
