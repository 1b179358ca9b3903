/**
 * Hand-written MessagePack writers for the per-message hot path (the fixed-layout header and the
 * data `bin`). Each writes exactly the bytes the project's msgpackr configuration writes for the
 * same value, so a frame encoded here is byte-identical to one encoded by `pack`; tests pin that.
 * Each returns the position after what it wrote; the caller reserves room (at most 9 bytes).
 */

/** Bytes an unsigned integer or u64 field takes at most (marker + 8). */
export const MAX_INT_BYTES = 9;

/** Bytes a `bin` prefix takes at most (marker + 32-bit length). */
export const MAX_BIN_PREFIX_BYTES = 5;

/** Whether `writeUint` can write `v`: a number that is an unsigned 32-bit integer. */
export function isUint32(v: unknown): v is number {
  return typeof v === "number" && v >>> 0 === v;
}

/** An unsigned 32-bit number in its shortest form (msgpackr's choice with records off). */
export function writeUint(b: Uint8Array, pos: number, v: number): number {
  if (v < 0x80) {
    b[pos] = v;
    return pos + 1;
  }
  if (v < 0x100) {
    b[pos] = 0xcc;
    b[pos + 1] = v;
    return pos + 2;
  }
  if (v < 0x1_0000) {
    b[pos] = 0xcd;
    b[pos + 1] = v >>> 8;
    b[pos + 2] = v & 0xff;
    return pos + 3;
  }
  b[pos] = 0xce;
  writeU32BE(b, pos + 1, v);
  return pos + 5;
}

/** writeUint for a value that may not be an unsigned 32-bit number: -1, writing nothing, then. */
export function writeU32(b: Uint8Array, pos: number, v: number): number {
  return isUint32(v) ? writeUint(b, pos, v) : -1;
}

/**
 * A u64 field as the generated encoders write it: `int64ToWire` turns values below 2^32 into
 * numbers (shortest uint form); larger ones stay bigint, which msgpackr writes as int64 (0xd3)
 * below 2^63 and as uint64 (0xcf) above. Returns -1, having written nothing, for a value that
 * is not a bigint in [0, 2^64): the generic encoder decides what becomes of those.
 */
export function writeU64(b: Uint8Array, pos: number, v: bigint): number {
  // Zero (the null fence, an empty ack interval) is the most common value; comparing with a
  // constant is much cheaper than the conversion below.
  if (v === 0n) {
    b[pos] = 0;
    return pos + 1;
  }
  if (typeof v !== "bigint") return -1;
  // bigint comparisons are slow; one conversion sorts out the small values (exact below 2^53,
  // and a bigint of 2^32 or more never converts to a number below 2^32).
  const n = Number(v);
  if (n >= 0 && n <= 0xffff_ffff) return writeUint(b, pos, n);
  if (v < 0n || v > 0xffff_ffff_ffff_ffffn) return -1;
  // One DataView store instead of shifting and masking, which would allocate two bigints.
  U64_VIEW.setBigUint64(0, v);
  b[pos] = v < 0x8000_0000_0000_0000n ? 0xd3 : 0xcf;
  for (let i = 0; i < 8; i++) b[pos + 1 + i] = U64_BYTES[i]!;
  return pos + 9;
}

/** The prefix of a `bin` of `length` bytes; the bytes themselves follow it. */
export function writeBinPrefix(b: Uint8Array, pos: number, length: number): number {
  if (length < 0x100) {
    b[pos] = 0xc4;
    b[pos + 1] = length;
    return pos + 2;
  }
  if (length < 0x1_0000) {
    b[pos] = 0xc5;
    b[pos + 1] = length >>> 8;
    b[pos + 2] = length & 0xff;
    return pos + 3;
  }
  b[pos] = 0xc6;
  writeU32BE(b, pos + 1, length);
  return pos + 5;
}

const U64_BYTES = new Uint8Array(8);
const U64_VIEW = new DataView(U64_BYTES.buffer);

function writeU32BE(b: Uint8Array, pos: number, v: number): void {
  b[pos] = v >>> 24;
  b[pos + 1] = (v >>> 16) & 0xff;
  b[pos + 2] = (v >>> 8) & 0xff;
  b[pos + 3] = v & 0xff;
}
