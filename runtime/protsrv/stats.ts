/**
 * Request counters served as `.statsd` (spec 10.1), with exactly SigmaOS's names. A request is
 * counted when it reaches protsrv, before its fence check, so a read of `.statsd` sees itself.
 * Nversion and Nflush stay 0: the hello belongs to the session layer and sigmap has no flush.
 * Qlen is the number of requests in protsrv at the moment of the snapshot, AvgQlen its mean over
 * request arrivals; Util needs CPU sampling, which this server does not do, and stays 0.
 */
export const COUNTER_NAMES = [
  "Ntotal",
  "Nversion",
  "Nauth",
  "Nattach",
  "Ndetach",
  "Nflush",
  "Nwalk",
  "Nclunk",
  "Nopen",
  "Nwatch",
  "Ncreate",
  "Nread",
  "Nwrite",
  "Nremove",
  "Nremovefile",
  "Nstat",
  "Nwstat",
  "Nrenameat",
  "Nget",
  "Nput",
  "Nrpc",
] as const;

export type CounterName = (typeof COUNTER_NAMES)[number];

export type StatsSnapshot = Record<CounterName, number> & {
  Qlen: number;
  AvgQlen: number;
  Util: number;
};

export class Stats {
  // Bumped twice per request: a plain object with fixed keys rather than a Map.
  readonly #counts = Object.fromEntries(COUNTER_NAMES.map((n) => [n, 0])) as Record<
    CounterName,
    number
  >;
  #inflight = 0;
  #qlenSum = 0;

  /** A request arrived: counts it in Ntotal and, unless null, in its own counter. */
  begin(name: CounterName | null): void {
    this.#counts.Ntotal++;
    if (name !== null) this.#counts[name]++;
    this.#inflight++;
    this.#qlenSum += this.#inflight;
  }

  /** The request `begin` counted has finished; call it exactly once per `begin`. */
  end(): void {
    this.#inflight--;
  }

  snapshot(): StatsSnapshot {
    const total = this.#counts.Ntotal;
    return {
      ...this.#counts,
      Qlen: this.#inflight,
      AvgQlen: total === 0 ? 0 : this.#qlenSum / total,
      Util: 0,
    };
  }
}
