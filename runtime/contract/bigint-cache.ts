/**
 * BigInts of recently used integers. Seqnos and ack bounds are u64 fields, bigints in the
 * generated types, and one value is met several times around a call (issued, then acked, echoed
 * and decoded on both ends); converting it anew each time was a good share of a null RPC's
 * garbage and conversions. Direct-mapped by the value's low bits, so a run of consecutive seqnos
 * does not evict itself until SLOTS later.
 */

const SLOTS = 256;
const keys = new Float64Array(SLOTS).fill(-1);
const values = new Array<bigint>(SLOTS).fill(0n);

/** `BigInt(n)` for a non-negative safe integer `n`, the same bigint for a value met recently. */
export function cachedBigInt(n: number): bigint {
  const i = n & (SLOTS - 1);
  if (keys[i] === n) return values[i]!;
  const b = BigInt(n);
  keys[i] = n;
  values[i] = b;
  return b;
}
