/**
 * Bounds how many procs may be starting at once. A burst of spawns would otherwise start every
 * Node process together, and on a small machine they starve each other and procd itself (whose
 * sessions then miss their deadlines). Extra spawns wait their turn with their queue file in
 * named, as SigmaOS's schedd queues them.
 */
export class StartLimit {
  readonly #max: number;
  #busy = 0;
  readonly #queue: (() => void)[] = [];

  /** At most `max` starts at a time. */
  constructor(max: number) {
    this.#max = Math.max(1, max);
  }

  /** Waits for a slot; the returned function gives it back (once). */
  async acquire(): Promise<() => void> {
    if (this.#busy >= this.#max) await new Promise<void>((r) => this.#queue.push(r));
    else this.#busy++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#queue.shift();
      if (next !== undefined) next();
      else this.#busy--;
    };
  }
}
