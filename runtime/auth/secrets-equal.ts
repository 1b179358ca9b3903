/**
 * Comparing secrets (a session secret, a shared key) in constant time. Both sides are hashed
 * first, so neither a differing length nor the position of the first differing byte shows in the
 * time taken. Signatures need none of this: node:crypto's verify does not compare secrets.
 */
import { createHash, timingSafeEqual } from "node:crypto";

export function secretsEqual(a: Uint8Array, b: Uint8Array): boolean {
  const ha = createHash("sha256").update(a).digest();
  const hb = createHash("sha256").update(b).digest();
  // timingSafeEqual of the digests is the decision; the length test only settles a collision.
  return timingSafeEqual(ha, hb) && a.length === b.length;
}
