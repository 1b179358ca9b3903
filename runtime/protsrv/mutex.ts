/**
 * A small FIFO async mutex. No mutex library is installed; this one is a promise queue: unlocking
 * hands the lock straight to the next waiter, so nobody can barge in between.
 */
export class Mutex {
  #locked = false;
  readonly #queue: Array<() => void> = [];

  get locked(): boolean {
    return this.#locked;
  }

  lock(): Promise<void> {
    if (!this.#locked) {
      this.#locked = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#queue.push(resolve));
  }

  unlock(): void {
    const next = this.#queue.shift();
    if (next !== undefined) next();
    else this.#locked = false;
  }
}
