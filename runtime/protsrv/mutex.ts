/**
 * A small FIFO async mutex. No mutex library is installed; this one is a promise queue: unlocking
 * hands the lock straight to the next waiter, so nobody can barge in between. `tryLock` takes a
 * free lock synchronously; a lock being handed to a waiter is not free, so it cannot barge either.
 */
export class Mutex {
  #locked = false;
  // Created by the first waiter: most mutexes are never contended.
  #queue: Array<() => void> | undefined;

  get locked(): boolean {
    return this.#locked;
  }

  /** Takes the lock if it is free; false (and nothing queued) otherwise. */
  tryLock(): boolean {
    if (this.#locked) return false;
    this.#locked = true;
    return true;
  }

  lock(): Promise<void> {
    if (this.tryLock()) return Promise.resolve();
    const queue = (this.#queue ??= []);
    return new Promise((resolve) => queue.push(resolve));
  }

  unlock(): void {
    const next = this.#queue?.shift();
    if (next !== undefined) next();
    else this.#locked = false;
  }
}
