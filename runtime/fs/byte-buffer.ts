/**
 * The content of a memfs file or symlink, kept in pages of 64 KiB that exist only where something
 * was written: a gap (a write past the end, a truncate upwards) is a hole that reads as zeros and
 * costs nothing. A 1-byte write at offset 1023 MiB holds one page, not 1023 MiB of zeros, and a
 * file growing by appends never copies what it already holds. The first page grows by doubling
 * from 64 bytes, so small files (most of named's) hold about their size.
 *
 * Every byte held is charged to the store's quota (`Account`) before it is allocated, so a write
 * that would pass the quota fails with Nomem and changes nothing.
 */
import { ErrCode, NoOffset } from "../../generated/sigmap/types.js";
import { SigmaError } from "../errors/index.js";

/** Largest memfs object (its logical size): a write beyond it is Badoffset. */
export const MAX_FILE_SIZE = 1 << 30;

/** Bytes per page. */
export const PAGE_BYTES = 64 * 1024;

/** Where a buffer charges the bytes it holds; throws (Nomem) to refuse. */
export interface Account {
  charge(bytes: number): void;
  uncharge(bytes: number): void;
}

export class ByteBuffer {
  // pages[i] holds bytes [i * PAGE_BYTES, ...): PAGE_BYTES long, except pages[0], which may be
  // shorter (it grows). Missing pages are holes. Bytes past #size are kept zero, so growing the
  // size never needs to clear anything.
  #pages: (Uint8Array | undefined)[] = [];
  #size = 0;
  #held = 0;
  readonly #account: Account;

  constructor(account: Account, content?: Uint8Array, offset = 0n) {
    this.#account = account;
    if (content !== undefined && content.length > 0) this.write(offset, content);
  }

  get size(): number {
    return this.#size;
  }

  /** Bytes allocated (what the quota is charged). */
  get held(): number {
    return this.#held;
  }

  read(offset: bigint, count: number): Uint8Array {
    if (offset >= BigInt(this.#size)) return new Uint8Array(0);
    const start = Number(offset);
    const end = Math.min(start + count, this.#size);
    const first = this.#pages[0];
    // The common case: a small file, all in the first page.
    if (first !== undefined && end <= first.length) return copyOf(first.subarray(start, end));
    const out = allocate(end - start);
    for (let at = start; at < end;) {
      const index = Math.floor(at / PAGE_BYTES);
      const within = at - index * PAGE_BYTES;
      const n = Math.min(end - at, PAGE_BYTES - within);
      const page = this.#pages[index];
      const have = page === undefined ? 0 : Math.max(0, Math.min(n, page.length - within));
      if (have > 0) out.set((page as Uint8Array).subarray(within, within + have), at - start);
      if (have < n) out.fill(0, at - start + have, at - start + n);
      at += n;
    }
    return out;
  }

  write(offset: bigint, data: Uint8Array): number {
    const start = offset === NoOffset ? this.#size : checkedOffset(offset, data.length);
    const end = start + data.length;
    if (data.length === 0) return 0;
    this.#reserve(start, end);
    for (let at = start; at < end;) {
      const index = Math.floor(at / PAGE_BYTES);
      const within = at - index * PAGE_BYTES;
      const n = Math.min(end - at, PAGE_BYTES - within);
      (this.#pages[index] as Uint8Array).set(data.subarray(at - start, at - start + n), within);
      at += n;
    }
    if (end > this.#size) this.#size = end;
    return data.length;
  }

  truncate(size: bigint): void {
    const n = checkedOffset(size, 0);
    if (n < this.#size) {
      // Pages wholly past the new end go; the tail of the last one is cleared.
      const keep = Math.ceil(n / PAGE_BYTES);
      let freed = 0;
      for (let i = keep; i < this.#pages.length; i++) freed += this.#pages[i]?.length ?? 0;
      this.#pages.length = keep;
      const last = this.#pages[keep - 1];
      if (last !== undefined) last.fill(0, n - (keep - 1) * PAGE_BYTES);
      if (freed > 0) this.#uncharge(freed);
    }
    this.#size = n;
  }

  replace(data: Uint8Array): number {
    const held = this.#held;
    // Charged before anything is dropped: a refused replace leaves the old content.
    const want = data.length <= PAGE_BYTES ? data.length : pagesOf(data.length) * PAGE_BYTES;
    if (want > held) this.#charge(want - held);
    if (data.length <= PAGE_BYTES) {
      this.#pages = data.length === 0 ? [] : [data.slice()];
    } else {
      this.#pages = [];
      for (let i = 0; i < pagesOf(data.length); i++) {
        const page = new Uint8Array(PAGE_BYTES);
        page.set(data.subarray(i * PAGE_BYTES, (i + 1) * PAGE_BYTES));
        this.#pages.push(page);
      }
    }
    if (want < held) this.#uncharge(held - want);
    this.#size = data.length;
    return data.length;
  }

  /** Allocates (charging first) every page [start, end) touches. */
  #reserve(start: number, end: number): void {
    const firstIndex = Math.floor(start / PAGE_BYTES);
    const lastIndex = Math.floor((end - 1) / PAGE_BYTES);
    let grow0 = 0;
    let fresh = 0;
    for (let i = firstIndex; i <= lastIndex; i++) {
      const page = this.#pages[i];
      if (i === 0) {
        const need = Math.min(end, PAGE_BYTES);
        const cap = page?.length ?? 0;
        if (need > cap) grow0 = Math.min(PAGE_BYTES, Math.max(need, cap * 2, 64)) - cap;
      } else if (page === undefined) {
        fresh++;
      }
    }
    const bytes = grow0 + fresh * PAGE_BYTES;
    if (bytes === 0) return;
    this.#charge(bytes);
    if (grow0 > 0) {
      const old = this.#pages[0];
      const grown = new Uint8Array((old?.length ?? 0) + grow0);
      if (old !== undefined) grown.set(old);
      this.#pages[0] = grown;
    }
    for (let i = Math.max(firstIndex, 1); i <= lastIndex; i++) {
      this.#pages[i] ??= new Uint8Array(PAGE_BYTES);
    }
  }

  #charge(bytes: number): void {
    this.#account.charge(bytes);
    this.#held += bytes;
  }

  #uncharge(bytes: number): void {
    this.#account.uncharge(bytes);
    this.#held -= bytes;
  }
}

function pagesOf(bytes: number): number {
  return Math.ceil(bytes / PAGE_BYTES);
}

/**
 * A copy of `bytes`, which a reply may hold while the file changes. Small copies are carved from
 * Node's shared allocation pool: a fresh ArrayBuffer per read costs several times the copy
 * itself. Every byte is overwritten, so nothing of the pool's earlier use shows; the result is a
 * plain Uint8Array, not a Buffer (whose slice() does not copy).
 */
function copyOf(bytes: Uint8Array): Uint8Array {
  const pooled = allocate(bytes.length);
  pooled.set(bytes);
  return pooled;
}

/** `n` bytes from Node's pool, every one of which the caller overwrites. */
function allocate(n: number): Uint8Array {
  const pooled = Buffer.allocUnsafe(n);
  return new Uint8Array(pooled.buffer, pooled.byteOffset, pooled.length);
}

function checkedOffset(offset: bigint, len: number): number {
  if (offset + BigInt(len) > BigInt(MAX_FILE_SIZE)) {
    throw new SigmaError(ErrCode.Badoffset, offset.toString(), `bad offset: ${offset} too large`);
  }
  return Number(offset);
}
