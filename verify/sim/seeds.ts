/** `1..1000` or `17`: the seeds a run covers. */
export function parseSeeds(text: string): number[] {
  const m = /^(\d+)(?:\.\.(\d+))?$/.exec(text.trim());
  if (m === null) throw new Error(`--seeds ${text}: expected N or A..B`);
  const lo = Number(m[1]);
  const hi = m[2] === undefined ? lo : Number(m[2]);
  if (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hi) || hi < lo) {
    throw new Error(`--seeds ${text}: expected A..B with A <= B`);
  }
  return Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
}
