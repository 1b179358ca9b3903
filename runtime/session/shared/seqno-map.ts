/**
 * A map from seqno to entry, shaped for how a session uses one: entries arrive in about seqno
 * order and leave soon after, a few (or a window's worth) present at a time. A Map churned that
 * way reallocates its hash table every few insertions, which showed up as a tenth of a null RPC's
 * garbage. Here an entry lives in a direct-mapped slot (seqno modulo the slot count). An entry
 * that finds its slot taken doubles the slots (up to MAX_SLOTS) if they are over half full, else
 * it goes to an ordinary Map: one long-parked request then costs a Map entry now and then, not a
 * slot array as long as the seqnos issued while it waits.
 *
 * Seqnos are non-negative integers below 2^53 (callers keep larger ones elsewhere).
 */

const MIN_SLOTS = 16;
const MAX_SLOTS = 1024;
const EMPTY = -1;

export class SeqnoMap<V> {
  #keys = new Float64Array(MIN_SLOTS).fill(EMPTY);
  #values: (V | undefined)[] = new Array<V | undefined>(MIN_SLOTS).fill(undefined);
  #mask = MIN_SLOTS - 1;
  readonly #overflow = new Map<number, V>();
  #size = 0;

  get size(): number {
    return this.#size;
  }

  get(seqno: number): V | undefined {
    const i = seqno & this.#mask;
    if (this.#keys[i] === seqno) return this.#values[i];
    return this.#overflow.size === 0 ? undefined : this.#overflow.get(seqno);
  }

  /** Adds an entry for a seqno not present. */
  set(seqno: number, value: V): void {
    this.#size++;
    for (;;) {
      const i = seqno & this.#mask;
      if (this.#keys[i] === EMPTY) {
        this.#keys[i] = seqno;
        this.#values[i] = value;
        return;
      }
      const slots = this.#keys.length;
      if (slots >= MAX_SLOTS || this.#size <= slots >>> 1) {
        this.#overflow.set(seqno, value);
        return;
      }
      this.#grow();
    }
  }

  delete(seqno: number): boolean {
    const i = seqno & this.#mask;
    if (this.#keys[i] === seqno) {
      this.#keys[i] = EMPTY;
      this.#values[i] = undefined;
      this.#size--;
      return true;
    }
    if (this.#overflow.size === 0 || !this.#overflow.delete(seqno)) return false;
    this.#size--;
    return true;
  }

  /** Visits every entry in no particular order; `fn` may delete the entry it is given. */
  forEach(fn: (value: V, seqno: number) => void): void {
    const keys = this.#keys;
    const values = this.#values;
    for (let i = 0; i < keys.length; i++) {
      if (keys[i] !== EMPTY) fn(values[i]!, keys[i]!);
    }
    for (const [k, v] of this.#overflow) fn(v, k);
  }

  /** Every entry as [seqno, value], in seqno order. */
  entries(): [number, V][] {
    const out: [number, V][] = [];
    const keys = this.#keys;
    for (let i = 0; i < keys.length; i++) {
      if (keys[i] !== EMPTY) out.push([keys[i]!, this.#values[i]!]);
    }
    for (const e of this.#overflow) out.push(e);
    return out.sort((a, b) => a[0] - b[0]);
  }

  /** Every value, in seqno order. */
  values(): V[] {
    return this.entries().map((e) => e[1]);
  }

  clear(): void {
    this.#keys = new Float64Array(MIN_SLOTS).fill(EMPTY);
    this.#values = new Array<V | undefined>(MIN_SLOTS).fill(undefined);
    this.#mask = MIN_SLOTS - 1;
    this.#overflow.clear();
    this.#size = 0;
  }

  // Doubles the slots; an entry keeps its slot's position modulo the old count, so none collide.
  #grow(): void {
    const keys = this.#keys;
    const values = this.#values;
    const n = keys.length * 2;
    this.#keys = new Float64Array(n).fill(EMPTY);
    this.#values = new Array<V | undefined>(n).fill(undefined);
    this.#mask = n - 1;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      if (k === EMPTY) continue;
      const j = k & this.#mask;
      this.#keys[j] = k;
      this.#values[j] = values[i];
    }
  }
}
