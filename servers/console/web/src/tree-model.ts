/**
 * The tree as data: listings of the directories the page has opened, merged page by page and
 * event by event, and the rows they show. No DOM here, so the merging rules are unit-tested.
 */
import type { DirEvent, EntryJson } from "../../api-types.js";

/** What the page knows of one directory's listing. */
export interface Listing {
  /** Sorted in the server's order; the first pages only, until `cursor` is null. */
  entries: EntryJson[];
  /** The next page's cursor; null once every page is in. */
  cursor: string | null;
  loading: boolean;
  error: string | null;
}

/** named's root, the tree's top. */
export const ROOT: EntryJson = {
  name: "name",
  path: "name/",
  kind: "dir",
  ephemeral: false,
  size: 0,
  version: 0,
  owner: "",
  mtime: 0,
  objectId: "",
  qtype: 0x80,
};

/**
 * The path to list an entry by: a directory's own path, a symlink's path with a trailing `/`
 * (which follows it: into a mounted server for a mount record); null for a file.
 */
export function listingPathOf(e: EntryJson): string | null {
  if (e.path === ROOT.path) return ROOT.path;
  if (e.kind === "dir") return e.path;
  if (e.kind === "symlink") return `${e.path}/`;
  return null;
}

/** The server's name order (byte-wise UTF-8), which is code point order, not `<` on strings. */
export function compareNames(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done === true || y.done === true)
      return (x.done === true ? 0 : 1) - (y.done === true ? 0 : 1);
    const d = (x.value.codePointAt(0) ?? 0) - (y.value.codePointAt(0) ?? 0);
    if (d !== 0) return d;
  }
}

/** A listing before its first page arrives. */
export function emptyListing(): Listing {
  return { entries: [], cursor: null, loading: true, error: null };
}

/** `entries` with `page` merged in, sorted, the page's copy winning for a name in both. */
export function mergeEntries(
  entries: readonly EntryJson[],
  page: readonly EntryJson[],
): EntryJson[] {
  const byName = new Map(entries.map((e) => [e.name, e]));
  for (const e of page) byName.set(e.name, e);
  return [...byName.values()].sort((a, b) => compareNames(a.name, b.name));
}

/**
 * A change reported by the directory's watch. Removals and changes apply to what is loaded; an
 * addition appears if it falls within the loaded range (a later page brings the others).
 */
export function applyEvent(l: Listing, ev: DirEvent): Listing {
  const removed = new Set(ev.removed);
  let entries = l.entries.filter((e) => !removed.has(e.name));
  const changed = new Map(ev.changed.map((e) => [e.name, e]));
  entries = entries.map((e) => changed.get(e.name) ?? e);
  const complete = l.cursor === null && !l.loading;
  const last = entries[entries.length - 1];
  const inRange = ev.added.filter(
    (e) => complete || (last !== undefined && compareNames(e.name, last.name) <= 0),
  );
  return { ...l, entries: inRange.length === 0 ? entries : mergeEntries(entries, inRange) };
}

/** One row of the tree. */
export interface Row {
  key: string;
  depth: number;
  kind: "entry" | "more" | "loading" | "error" | "empty";
  /** For `entry` rows. */
  entry?: EntryJson;
  /** The listing path of an entry row's own directory, or of the directory a `more` row pages. */
  listing?: string;
  /** The listing path of the directory holding the row. */
  parent?: string;
  expanded?: boolean;
  text?: string;
}

/** The rows shown: `root`, then depth-first every expanded directory's loaded entries. */
export function visibleRows(
  expanded: ReadonlySet<string>,
  listings: ReadonlyMap<string, Listing>,
): Row[] {
  const rows: Row[] = [];
  const walk = (e: EntryJson, depth: number, parent: string | undefined) => {
    const listing = listingPathOf(e) ?? undefined;
    const open = listing !== undefined && expanded.has(listing);
    rows.push({ key: e.path, depth, kind: "entry", entry: e, listing, parent, expanded: open });
    if (!open || listing === undefined) return;
    const l = listings.get(listing);
    if (l === undefined) return;
    for (const child of l.entries) walk(child, depth + 1, listing);
    const sub = { depth: depth + 1, parent: listing, listing };
    if (l.error !== null)
      rows.push({ key: `${listing}\0error`, kind: "error", text: l.error, ...sub });
    else if (l.loading) rows.push({ key: `${listing}\0loading`, kind: "loading", ...sub });
    else if (l.cursor !== null) rows.push({ key: `${listing}\0more`, kind: "more", ...sub });
    else if (l.entries.length === 0) rows.push({ key: `${listing}\0empty`, kind: "empty", ...sub });
  };
  walk(ROOT, 0, undefined);
  return rows;
}
