/**
 * Writes a 64-bit integer field. Values that fit in 32 bits go out as plain numbers, which
 * MessagePack encodes in at most 5 bytes instead of 9; readers accept either form.
 */
export function int64ToWire(v: bigint): number | bigint {
  return v >= -0x8000_0000n && v <= 0xffff_ffffn ? Number(v) : v;
}
