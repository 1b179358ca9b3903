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
  readonly #counts = new Map<CounterName, number>(COUNTER_NAMES.map((n) => [n, 0]));
  #inflight = 0;
  #qlenSum = 0;

  /** A request arrived: counts it and returns the function that marks it finished. */
  /** Counts a request in Ntotal and, unless null, in its own counter. */
  begin(name: CounterName | null): () => void {
    this.#bump("Ntotal");
    if (name !== null) this.#bump(name);
    this.#inflight++;
    this.#qlenSum += this.#inflight;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.#inflight--;
    };
  }

  snapshot(): StatsSnapshot {
    const out = {} as Record<CounterName, number>;
    for (const name of COUNTER_NAMES) out[name] = this.#counts.get(name) ?? 0;
    const total = out.Ntotal;
    return {
      ...out,
      Qlen: this.#inflight,
      AvgQlen: total === 0 ? 0 : this.#qlenSum / total,
      Util: 0,
    };
  }

  #bump(name: CounterName): void {
    this.#counts.set(name, (this.#counts.get(name) ?? 0) + 1);
  }
}
