/** Durations as operators write them: `90s`, `30m`, `1h`, `7d`, `500ms`. */

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DURATION_RE = /^(\d{1,9})(ms|s|m|h|d)$/;

/** Milliseconds, or RangeError naming the text. */
export function parseDuration(text: string): number {
  const m = DURATION_RE.exec(text.trim());
  if (m === null)
    throw new RangeError(`bad duration ${JSON.stringify(text)}: expected e.g. 90s, 30m, 1h, 7d`);
  return Number(m[1]) * (UNITS[m[2] as string] as number);
}
