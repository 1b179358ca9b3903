/** A value that components follow: `useStore(s)` re-renders when it is set. */
import { useEffect, useState } from "preact/hooks";

export class Store<T> {
  #value: T;
  readonly #subs = new Set<(v: T) => void>();

  constructor(value: T) {
    this.#value = value;
  }

  get value(): T {
    return this.#value;
  }

  set(v: T): void {
    this.#value = v;
    for (const s of this.#subs) s(v);
  }

  update(f: (v: T) => T): void {
    this.set(f(this.#value));
  }

  subscribe(f: (v: T) => void): () => void {
    this.#subs.add(f);
    return () => this.#subs.delete(f);
  }
}

export function useStore<T>(s: Store<T>): T {
  const [, setTick] = useState(0);
  useEffect(() => s.subscribe(() => setTick((n) => n + 1)), [s]);
  return s.value;
}
