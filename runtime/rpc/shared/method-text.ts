/**
 * The method names a server receives, decoded once: a server is called by a handful of distinct
 * names, and comparing a few bytes is cheaper than a UTF-8 decode and a new string per call.
 */

const text = new TextDecoder("utf-8", { fatal: true });

/** Names remembered; past that, names are decoded every time (a client sending junk names). */
const MAX_NAMES = 32;

const names: { bytes: Uint8Array; name: string }[] = [];

/** The method name in `bytes`; throws TypeError if they are not UTF-8. */
export function methodText(bytes: Uint8Array): string {
  for (const n of names) {
    if (sameBytes(n.bytes, bytes)) return n.name;
  }
  const name = text.decode(bytes);
  // A copy: `bytes` is a view into a request the session layer will let go of.
  if (names.length < MAX_NAMES) names.push({ bytes: bytes.slice(), name });
  return name;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
