/**
 * The few MessagePack shapes the RPC envelope is made of, written and read by hand: an envelope
 * holds an already-encoded record as `bin`, and a general encoder would copy it into a second
 * buffer while a general decoder would copy it out again. Standard MessagePack either way, so
 * any peer's encoder produces what these read.
 */

/**
 * A buffer for one envelope, every byte of which the caller writes. `new Uint8Array(n)` gives each
 * envelope an ArrayBuffer of its own (most of a microsecond for a small echo); Node's pooled
 * allocation slices a shared one for a tenth of that. The result is a plain Uint8Array view, not
 * the Buffer: msgpackr decodes `bin` out of a Buffer as Buffers, which callers must not see.
 */
export function allocEnvelope(n: number): Uint8Array {
  const b = Buffer.allocUnsafe(n);
  return new Uint8Array(b.buffer, b.byteOffset, n);
}

/** Bytes of the header of a str or bin of `n` bytes. */
export function strHeaderSize(n: number): number {
  return n < 32 ? 1 : n < 0x100 ? 2 : n < 0x10000 ? 3 : 5;
}

export function binHeaderSize(n: number): number {
  return n < 0x100 ? 2 : n < 0x10000 ? 3 : 5;
}

/** Writes a str header at `at`; returns where its bytes go. */
export function writeStrHeader(out: Uint8Array, at: number, n: number): number {
  if (n < 32) {
    out[at] = 0xa0 | n;
    return at + 1;
  }
  return writeLength(out, at, n, 0xd9, 0xda, 0xdb);
}

export function writeBinHeader(out: Uint8Array, at: number, n: number): number {
  return writeLength(out, at, n, 0xc4, 0xc5, 0xc6);
}

/** A cursor over one encoded value; every read throws RangeError on malformed input. */
export class EnvelopeReader {
  #at = 0;
  readonly #b: Uint8Array;

  constructor(bytes: Uint8Array) {
    this.#b = bytes;
  }

  /** An array header: its element count. */
  arrayLength(): number {
    const t = this.#byte();
    if ((t & 0xf0) === 0x90) return t & 0x0f;
    if (t === 0xdc) return this.#uint(2);
    if (t === 0xdd) return this.#uint(4);
    throw new RangeError("not an array");
  }

  /** A str or bin, as a view into the input. */
  bytes(kind: "str" | "bin"): Uint8Array {
    const t = this.#byte();
    let n: number;
    if (kind === "str" && (t & 0xe0) === 0xa0) n = t & 0x1f;
    else if (t === (kind === "str" ? 0xd9 : 0xc4)) n = this.#uint(1);
    else if (t === (kind === "str" ? 0xda : 0xc5)) n = this.#uint(2);
    else if (t === (kind === "str" ? 0xdb : 0xc6)) n = this.#uint(4);
    else throw new RangeError(`not a ${kind}`);
    if (this.#at + n > this.#b.length) throw new RangeError("truncated");
    const view = this.#b.subarray(this.#at, this.#at + n);
    this.#at += n;
    return view;
  }

  #byte(): number {
    const v = this.#b[this.#at++];
    if (v === undefined) throw new RangeError("truncated");
    return v;
  }

  #uint(size: 1 | 2 | 4): number {
    let v = 0;
    for (let i = 0; i < size; i++) v = v * 256 + this.#byte();
    return v;
  }
}

function writeLength(
  out: Uint8Array,
  at: number,
  n: number,
  t8: number,
  t16: number,
  t32: number,
): number {
  if (n < 0x100) {
    out[at] = t8;
    out[at + 1] = n;
    return at + 2;
  }
  if (n < 0x10000) {
    out[at] = t16;
    out[at + 1] = n >>> 8;
    out[at + 2] = n & 0xff;
    return at + 3;
  }
  out[at] = t32;
  out[at + 1] = n >>> 24;
  out[at + 2] = (n >>> 16) & 0xff;
  out[at + 3] = (n >>> 8) & 0xff;
  out[at + 4] = n & 0xff;
  return at + 5;
}
