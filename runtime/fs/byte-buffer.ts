/**
 * The growable content of a memfs file or symlink. Bytes past `size` are kept zero, so extending
 * (a write past the end, a truncate upwards) zero-fills the gap without extra work.
 */
import { ErrCode, NoOffset } from "../../generated/sigmap/types.js";
import { SigmaError } from "../errors/index.js";

/** Largest memfs object: a write beyond it is refused rather than exhausting memory. */
export const MAX_FILE_SIZE = 1 << 30;

export class ByteBuffer {
  #buf: Uint8Array;
  #size: number;

  constructor(content?: Uint8Array) {
    this.#buf = content === undefined ? new Uint8Array(0) : content.slice();
    this.#size = this.#buf.length;
  }

  get size(): number {
    return this.#size;
  }

  read(offset: bigint, count: number): Uint8Array {
    if (offset >= BigInt(this.#size)) return new Uint8Array(0);
    const start = Number(offset);
    return copyOf(this.#buf.subarray(start, Math.min(start + count, this.#size)));
  }

  write(offset: bigint, data: Uint8Array): number {
    const start = offset === NoOffset ? this.#size : checkedOffset(offset, data.length);
    const end = start + data.length;
    this.#reserve(end);
    this.#buf.set(data, start);
    if (end > this.#size) this.#size = end;
    return data.length;
  }

  truncate(size: bigint): void {
    const n = checkedOffset(size, 0);
    if (n < this.#size) this.#buf.fill(0, n, this.#size);
    else this.#reserve(n);
    this.#size = n;
  }

  replace(data: Uint8Array): number {
    this.#buf = data.slice();
    this.#size = data.length;
    return data.length;
  }

  #reserve(n: number): void {
    if (n <= this.#buf.length) return;
    const grown = new Uint8Array(Math.min(MAX_FILE_SIZE, Math.max(n, this.#buf.length * 2, 64)));
    grown.set(this.#buf.subarray(0, this.#size));
    this.#buf = grown;
  }
}

/**
 * A copy of `bytes`, which a reply may hold while the file changes. Small copies are carved from
 * Node's shared allocation pool: a fresh ArrayBuffer per read costs several times the copy
 * itself. Every byte is overwritten, so nothing of the pool's earlier use shows; the result is a
 * plain Uint8Array, not a Buffer (whose slice() does not copy).
 */
function copyOf(bytes: Uint8Array): Uint8Array {
  const pooled = Buffer.allocUnsafe(bytes.length);
  pooled.set(bytes);
  return new Uint8Array(pooled.buffer, pooled.byteOffset, pooled.length);
}

function checkedOffset(offset: bigint, len: number): number {
  if (offset + BigInt(len) > BigInt(MAX_FILE_SIZE)) {
    throw new SigmaError(ErrCode.Badoffset, offset.toString(), `bad offset: ${offset} too large`);
  }
  return Number(offset);
}
