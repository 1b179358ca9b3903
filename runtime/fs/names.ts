/**
 * Directory entries are ordered byte-wise by their UTF-8 names (spec 4.2). UTF-8 byte order is
 * code point order, which differs from JavaScript's UTF-16 order only where a surrogate meets a
 * code unit in U+E000..U+FFFF; shifting both ranges fixes that without encoding the names.
 */
export function compareNames(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

function codePointRank(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  if (unit >= 0xe000) return unit - 0x800;
  return unit;
}
