/**
 * A u64 with its encoding, for fields whose value a connection fixes (the header's client and
 * session ids): fast paths copy or compare the bytes instead of converting the bigint again on
 * every frame. The bytes are what writeU64 writes, which is what the generic encoder writes.
 */
import { MAX_INT_BYTES, writeU64 } from "./msgpack-write.js";

export interface U64Bytes {
  readonly value: bigint;
  readonly bytes: Uint8Array;
}

export function u64Bytes(value: bigint): U64Bytes {
  const b = new Uint8Array(MAX_INT_BYTES);
  const n = writeU64(b, 0, value);
  return { value, bytes: b.subarray(0, Math.max(n, 0)) };
}

/** writeU64, copying `bound`'s bytes when `v` is its value. */
export function writeBoundU64(
  b: Uint8Array,
  pos: number,
  v: bigint,
  bound: U64Bytes | undefined,
): number {
  if (bound === undefined || v !== bound.value) return writeU64(b, pos, v);
  const bytes = bound.bytes;
  for (let i = 0; i < bytes.length; i++) b[pos + i] = bytes[i]!;
  return pos + bytes.length;
}
