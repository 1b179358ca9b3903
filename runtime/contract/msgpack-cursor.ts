/**
 * A forward reader over MessagePack bytes for hand-written fast paths. It recognises only the
 * encodings it is sure to read exactly as the project's msgpackr configuration would, and says
 * so (-1, null, UNRECOGNISED, false) for anything else: a caller then falls back to the generic
 * decoder, which accepts or rejects the input on its own terms. It never throws on bad input.
 */
import { cachedBigInt } from "./bigint-cache.js";
import type { U64Bytes } from "./u64-bytes.js";

/** What `simple` returns for a value it does not read itself. */
export const UNRECOGNISED: unique symbol = Symbol("unrecognised");

/** Nesting a fast path follows while skipping or reading; deeper values go the generic way. */
const MAX_DEPTH = 32;

export class MsgpackCursor {
  b: Uint8Array = EMPTY;
  pos = 0;
  end = 0;

  /** Starts reading `b` from `pos` up to `end`. */
  reset(b: Uint8Array, pos: number, end: number): void {
    this.b = b;
    this.pos = pos;
    this.end = end;
  }

  /** Consumes `marker` if it is the next byte. */
  take(marker: number): boolean {
    if (this.pos < this.end && this.b[this.pos] === marker) {
      this.pos++;
      return true;
    }
    return false;
  }

  /** An unsigned integer in a uint form of at most 32 bits (as msgpackr, a number), or -1. */
  uint(): number {
    const b = this.b;
    const p = this.pos;
    const end = this.end;
    if (p >= end) return -1;
    const m = b[p]!;
    if (m < 0x80) {
      this.pos = p + 1;
      return m;
    }
    switch (m) {
      case 0xcc:
        if (p + 2 > end) return -1;
        this.pos = p + 2;
        return b[p + 1]!;
      case 0xcd:
        if (p + 3 > end) return -1;
        this.pos = p + 3;
        return (b[p + 1]! << 8) | b[p + 2]!;
      case 0xce:
        if (p + 5 > end) return -1;
        this.pos = p + 5;
        return readU32BE(b, p + 1);
      default:
        return -1;
    }
  }

  /**
   * A u64 field: any uint form, or int64 (0xd3) if not negative. msgpackr reads 0xcf and 0xd3 as
   * bigint and the smaller forms as numbers, which the generated readers widen; either way the
   * field's value is the bigint returned here. null for anything else.
   */
  u64(): bigint | null {
    const b = this.b;
    const p = this.pos;
    const m = p < this.end ? b[p]! : -1;
    if (m === 0xcf || m === 0xd3) {
      if (p + 9 > this.end || (m === 0xd3 && b[p + 1]! >= 0x80)) return null;
      this.pos = p + 9;
      return (BigInt(readU32BE(b, p + 1)) << 32n) | BigInt(readU32BE(b, p + 5));
    }
    const n = this.uint();
    // 0n is a constant (the null fence is three zeros); other small values mostly recur.
    return n < 0 ? null : n === 0 ? 0n : cachedBigInt(n);
  }

  /** A u64 field: `bound`'s value when the bytes are its encoding, else as `u64` reads it. */
  boundU64(bound: U64Bytes | undefined): bigint | null {
    if (bound !== undefined && this.takeBytes(bound.bytes)) return bound.value;
    return this.u64();
  }

  /** Whether the next 9 bytes are `bytes` (a u64 as writeU64 wrote it); consumes them if so. */
  takeBytes(bytes: Uint8Array): boolean {
    const b = this.b;
    const p = this.pos;
    const n = bytes.length;
    if (p + n > this.end) return false;
    for (let i = 0; i < n; i++) if (b[p + i] !== bytes[i]) return false;
    this.pos = p + n;
    return true;
  }

  /** The length of a `bin` whose prefix is next (the bytes follow), or -1. */
  binLength(): number {
    const b = this.b;
    const p = this.pos;
    const end = this.end;
    if (p >= end) return -1;
    let n: number;
    let head: number;
    switch (b[p]) {
      case 0xc4:
        if (p + 2 > end) return -1;
        n = b[p + 1]!;
        head = 2;
        break;
      case 0xc5:
        if (p + 3 > end) return -1;
        n = (b[p + 1]! << 8) | b[p + 2]!;
        head = 3;
        break;
      case 0xc6:
        if (p + 5 > end) return -1;
        n = readU32BE(b, p + 1);
        head = 5;
        break;
      default:
        return -1;
    }
    if (p + head + n > end) return -1;
    this.pos = p + head;
    return n;
  }

  /**
   * Steps over one value of the core types (nil, bool, ints, floats, str, bin, array, map);
   * false, with the position unspecified, for an extension type, a reserved byte, truncated
   * input or nesting deeper than MAX_DEPTH.
   */
  skip(): boolean {
    const b = this.b;
    const end = this.end;
    let p = this.pos;
    // Values still to step over at each open container level, innermost last.
    let pending = 1;
    const stack: number[] = [];
    while (pending > 0 || stack.length > 0) {
      if (pending === 0) {
        pending = stack.pop()!;
        continue;
      }
      if (p >= end) return false;
      pending--;
      const m = b[p]!;
      let len: number;
      let children = 0;
      if (m < 0x80 || m >= 0xe0 || (m >= 0xc0 && m <= 0xc3)) {
        if (m === 0xc1) return false;
        len = 1;
      } else if (m < 0x90) {
        len = 1;
        children = 2 * (m & 0x0f);
      } else if (m < 0xa0) {
        len = 1;
        children = m & 0x0f;
      } else if (m < 0xc0) {
        len = 1 + (m & 0x1f);
      } else {
        const size = sizedLength(b, p, end, m);
        if (size === null) return false;
        len = size.head + size.bytes;
        children = size.children;
      }
      p += len;
      if (p > end) return false;
      if (children > 0) {
        if (stack.length >= MAX_DEPTH) return false;
        stack.push(pending);
        pending = children;
      }
    }
    this.pos = p;
    return true;
  }

  /**
   * Reads a small value exactly as msgpackr would: nil, bool, positive or negative fixint,
   * uint8/16/32, an ASCII fixstr, or a fixarray of these. UNRECOGNISED (position unspecified)
   * for anything else.
   */
  simple(depth = 0): unknown {
    const b = this.b;
    const p = this.pos;
    if (p >= this.end) return UNRECOGNISED;
    const m = b[p]!;
    if (m < 0x80) {
      this.pos = p + 1;
      return m;
    }
    if (m >= 0xe0) {
      this.pos = p + 1;
      return m - 0x100;
    }
    if (m >= 0x90 && m < 0xa0) {
      if (depth >= MAX_DEPTH) return UNRECOGNISED;
      const n = m & 0x0f;
      this.pos = p + 1;
      const out = new Array<unknown>(n);
      for (let i = 0; i < n; i++) {
        const v = this.simple(depth + 1);
        if (v === UNRECOGNISED) return UNRECOGNISED;
        out[i] = v;
      }
      return out;
    }
    if (m >= 0xa0 && m < 0xc0) return this.#asciiFixstr(m & 0x1f);
    switch (m) {
      case 0xc0:
        this.pos = p + 1;
        return null;
      case 0xc2:
        this.pos = p + 1;
        return false;
      case 0xc3:
        this.pos = p + 1;
        return true;
      default: {
        const n = this.uint();
        return n < 0 ? UNRECOGNISED : n;
      }
    }
  }

  #asciiFixstr(n: number): string | typeof UNRECOGNISED {
    const b = this.b;
    const start = this.pos + 1;
    if (start + n > this.end) return UNRECOGNISED;
    let s = "";
    for (let i = start; i < start + n; i++) {
      const c = b[i]!;
      if (c >= 0x80) return UNRECOGNISED;
      s += String.fromCharCode(c);
    }
    this.pos = start + n;
    return s;
  }
}

const EMPTY = new Uint8Array(0);

interface Sized {
  /** Marker and length bytes. */
  head: number;
  /** Payload bytes after the head. */
  bytes: number;
  /** Values nested inside (array elements, map keys and values). */
  children: number;
}

// The 0xc0-0xdf markers with a length or fixed payload; null for extensions and 0xc1.
function sizedLength(b: Uint8Array, p: number, end: number, m: number): Sized | null {
  switch (m) {
    case 0xcc:
    case 0xd0:
      return { head: 1, bytes: 1, children: 0 };
    case 0xcd:
    case 0xd1:
      return { head: 1, bytes: 2, children: 0 };
    case 0xca:
    case 0xce:
    case 0xd2:
      return { head: 1, bytes: 4, children: 0 };
    case 0xcb:
    case 0xcf:
    case 0xd3:
      return { head: 1, bytes: 8, children: 0 };
  }
  const lenBytes = LENGTH_BYTES[m - 0xc0] ?? 0;
  if (lenBytes === 0 || p + 1 + lenBytes > end) return null;
  const n =
    lenBytes === 1
      ? b[p + 1]!
      : lenBytes === 2
        ? (b[p + 1]! << 8) | b[p + 2]!
        : readU32BE(b, p + 1);
  const head = 1 + lenBytes;
  switch (m) {
    case 0xdc:
    case 0xdd:
      return { head, bytes: 0, children: n };
    case 0xde:
    case 0xdf:
      return { head, bytes: 0, children: 2 * n };
    default:
      // bin8/16/32 and str8/16/32.
      return { head, bytes: n, children: 0 };
  }
}

// Length-field size by marker - 0xc0, for bin, str, array and map; 0 for everything else.
const LENGTH_BYTES: readonly number[] = (() => {
  const t = new Array<number>(32).fill(0);
  t[0xc4 - 0xc0] = 1;
  t[0xc5 - 0xc0] = 2;
  t[0xc6 - 0xc0] = 4;
  t[0xd9 - 0xc0] = 1;
  t[0xda - 0xc0] = 2;
  t[0xdb - 0xc0] = 4;
  t[0xdc - 0xc0] = 2;
  t[0xdd - 0xc0] = 4;
  t[0xde - 0xc0] = 2;
  t[0xdf - 0xc0] = 4;
  return t;
})();

function readU32BE(b: Uint8Array, p: number): number {
  return b[p]! * 0x100_0000 + ((b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!);
}
