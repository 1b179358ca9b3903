/** The watch log: the last events the console's watches saw, numbered, for the log panel. */
import type { LogEntry } from "./api-types.js";

export class WatchLog {
  readonly #entries: LogEntry[] = [];
  readonly #max: number;
  readonly #listeners = new Set<(e: LogEntry) => void>();
  #seq = 0;

  constructor(max: number) {
    this.#max = max;
  }

  add(entry: Omit<LogEntry, "seq" | "time">): void {
    const e: LogEntry = { seq: ++this.#seq, time: Date.now(), ...entry };
    this.#entries.push(e);
    if (this.#entries.length > this.#max) this.#entries.splice(0, this.#entries.length - this.#max);
    for (const l of this.#listeners) l(e);
  }

  /** The entries kept, oldest first. */
  recent(): LogEntry[] {
    return [...this.#entries];
  }

  /** Calls `l` for every new entry until the returned function is called. */
  listen(l: (e: LogEntry) => void): () => void {
    this.#listeners.add(l);
    return () => this.#listeners.delete(l);
  }
}
