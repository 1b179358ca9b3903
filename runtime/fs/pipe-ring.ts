/** The fixed-capacity byte ring behind a memfs pipe (spec 4.12: at most 8192 bytes). */
export const PIPE_CAPACITY = 8192;

export class PipeRing {
  readonly #buf: Uint8Array;
  #head = 0;
  #len = 0;

  constructor(capacity = PIPE_CAPACITY) {
    this.#buf = new Uint8Array(capacity);
  }

  get length(): number {
    return this.#len;
  }

  get space(): number {
    return this.#buf.length - this.#len;
  }

  /** Copies in as much of `data` as fits; returns how much. */
  push(data: Uint8Array): number {
    const n = Math.min(data.length, this.space);
    const cap = this.#buf.length;
    for (let i = 0; i < n; i++) this.#buf[(this.#head + this.#len + i) % cap] = data[i] ?? 0;
    this.#len += n;
    return n;
  }

  /** Takes up to `count` bytes from the front. */
  shift(count: number): Uint8Array {
    const n = Math.min(count, this.#len);
    const out = new Uint8Array(n);
    const cap = this.#buf.length;
    for (let i = 0; i < n; i++) out[i] = this.#buf[(this.#head + i) % cap] ?? 0;
    this.#head = (this.#head + n) % cap;
    this.#len -= n;
    return out;
  }
}
