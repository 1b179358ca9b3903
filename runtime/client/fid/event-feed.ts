/**
 * A broadcast feed of events as an AsyncIterable. Every iterator sees every event, including those
 * published before it started: session closures are rare and must not be missed by an application
 * that subscribes late.
 */
/** A replaying broadcast feed: `subscribe` yields every event, past and future, until `end`. */
export class EventFeed<T> {
  readonly #history: T[] = [];
  readonly #waiters = new Set<() => void>();
  #ended = false;

  /** Appends an event and wakes every iterator. */
  publish(event: T): void {
    this.#history.push(event);
    this.#wake();
  }

  /** Ends every iteration once it has consumed the history. */
  end(): void {
    this.#ended = true;
    this.#wake();
  }

  /** An iterator over all events so far and to come. */
  async *subscribe(): AsyncGenerator<T, void, undefined> {
    let next = 0;
    for (;;) {
      while (next < this.#history.length) yield this.#history[next++] as T;
      if (this.#ended) return;
      await new Promise<void>((resolve) => this.#waiters.add(resolve));
    }
  }

  #wake(): void {
    const waiters = [...this.#waiters];
    this.#waiters.clear();
    for (const w of waiters) w();
  }
}
