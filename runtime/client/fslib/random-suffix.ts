/**
 * Suffixes for temporary names (putFileAtomic): 16 characters from [a-z0-9], enough that two
 * writers never pick the same temporary file.
 */
import { randomBytes } from "node:crypto";

const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

/** `n` random characters from [a-z0-9]. */
export function randomSuffix(n = 16): string {
  const bytes = randomBytes(n);
  let s = "";
  for (const b of bytes) s += ALPHABET[b % ALPHABET.length];
  return s;
}
