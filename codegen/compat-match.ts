/**
 * Pairs the declarations of two schema versions. Identity is the name; a declaration whose name
 * vanished while its number lives on under a new, previously unknown name is a rename.
 */
export interface Matching<T> {
  /** Same declaration in both versions; `renamed` when paired through the number. */
  pairs: { older: T; newer: T; renamed: boolean }[];
  removed: T[];
  /** New declarations whose number no older declaration held. */
  added: T[];
  /** Newer declarations that hold a number another older declaration held. */
  reused: { older: T; newer: T }[];
}

export interface MatchKeys<T> {
  name: (t: T) => string;
  /** The wire number, when the declaration kind has one. */
  number?: (t: T) => number;
  /** Whether an unpaired older and newer declaration with the same number are one, renamed. */
  sameThing?: (older: T, newer: T) => boolean;
}

export function matchDecls<T>(
  older: readonly T[],
  newer: readonly T[],
  keys: MatchKeys<T>,
): Matching<T> {
  const { name, number } = keys;
  const sameThing = keys.sameThing ?? ((): boolean => true);
  const olderNames = new Set(older.map(name));
  const newerByName = new Map(newer.map((t) => [name(t), t]));
  const partner = new Map<T, T>();
  const result: Matching<T> = { pairs: [], removed: [], added: [], reused: [] };

  for (const o of older) {
    const n = newerByName.get(name(o));
    if (n) {
      partner.set(n, o);
      result.pairs.push({ older: o, newer: n, renamed: false });
    }
  }
  for (const o of older) {
    if (newerByName.has(name(o))) continue;
    const n = number
      ? newer.find(
          (c) =>
            number(c) === number(o) &&
            !olderNames.has(name(c)) &&
            !partner.has(c) &&
            sameThing(o, c),
        )
      : undefined;
    if (n) {
      partner.set(n, o);
      result.pairs.push({ older: o, newer: n, renamed: true });
    } else {
      result.removed.push(o);
    }
  }
  for (const n of newer) {
    const previous = number ? older.find((o) => number(o) === number(n)) : undefined;
    if (previous && partner.get(n) !== previous) result.reused.push({ older: previous, newer: n });
    else if (!partner.has(n)) result.added.push(n);
  }
  return result;
}
