/**
 * A FIFO read/write lock for fences (spec 4.9): requests of an epoch hold it in read mode, and
 * raising the epoch takes it in write mode. A waiting writer blocks later readers, so a stream of
 * old-epoch requests cannot postpone an epoch change forever.
 */
interface Waiter {
  write: boolean;
  grant: () => void;
}

export class RwLock {
  #readers = 0;
  #writer = false;
  readonly #queue: Waiter[] = [];

  /** Nobody holds it or waits for it. */
  get free(): boolean {
    return this.#readers === 0 && !this.#writer && this.#queue.length === 0;
  }

  readLock(): Promise<void> {
    if (!this.#writer && this.#queue.length === 0) {
      this.#readers++;
      return Promise.resolve();
    }
    return new Promise((grant) => this.#queue.push({ write: false, grant }));
  }

  writeLock(): Promise<void> {
    if (!this.#writer && this.#readers === 0 && this.#queue.length === 0) {
      this.#writer = true;
      return Promise.resolve();
    }
    return new Promise((grant) => this.#queue.push({ write: true, grant }));
  }

  unlockRead(): void {
    this.#readers--;
    this.#drain();
  }

  unlockWrite(): void {
    this.#writer = false;
    this.#drain();
  }

  #drain(): void {
    for (;;) {
      const head = this.#queue[0];
      if (head === undefined || this.#writer) return;
      if (head.write) {
        if (this.#readers > 0) return;
        this.#queue.shift();
        this.#writer = true;
        head.grant();
        return;
      }
      this.#queue.shift();
      this.#readers++;
      head.grant();
    }
  }
}
