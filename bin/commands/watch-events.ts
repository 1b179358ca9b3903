/**
 * What `sigma watch` says happened. A sigmap watch only says "something changed" (a directory
 * watch fires on a create, remove or rename in it; a remove watch when the file is removed or
 * renamed away), so the command lists again afterwards and compares, matching entries by their
 * qid path (an object keeps it across a rename). What the relisting cannot see is reported as
 * `changed`: a change undone before the relisting (created and removed again), and where a
 * file renamed into another directory went.
 */
import type { Stat } from "../../generated/sigmap/types.js";

export type WatchEvent =
  | { event: "created" | "removed" | "replaced"; name: string }
  | { event: "renamed"; from: string; to: string }
  | { event: "changed" };

/** The events that turn listing `before` into listing `after`, in name order. */
export function diffListings(before: readonly Stat[], after: readonly Stat[]): WatchEvent[] {
  const was = new Map(before.map((s) => [s.name, s.qid.path]));
  const now = new Map(after.map((s) => [s.name, s.qid.path]));
  const gone = [...was].filter(([name, id]) => now.get(name) !== id);
  const fresh = [...now].filter(([name, id]) => was.get(name) !== id);
  const goneById = new Map(gone.filter(([n]) => !now.has(n)).map(([n, id]) => [id, n]));
  const events: { key: string; ev: WatchEvent }[] = [];
  const renamedFrom = new Set<string>();
  for (const [name, id] of fresh) {
    const from = goneById.get(id);
    if (from !== undefined) {
      renamedFrom.add(from);
      events.push({ key: name, ev: { event: "renamed", from, to: name } });
    } else {
      events.push({ key: name, ev: { event: was.has(name) ? "replaced" : "created", name } });
    }
  }
  for (const [name] of gone) {
    if (!now.has(name) && !renamedFrom.has(name)) {
      events.push({ key: name, ev: { event: "removed", name } });
    }
  }
  events.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return events.length === 0 ? [{ event: "changed" }] : events.map((e) => e.ev);
}

/**
 * What happened to a watched file, from a stat afterwards (`now`, null if the path is gone) and
 * its directory's listing: renamed within the directory, replaced by another object, or removed.
 */
export function fileEvent(
  name: string,
  id: bigint,
  now: Stat | null,
  siblings: readonly Stat[],
): WatchEvent {
  if (now !== null) return now.qid.path === id ? { event: "changed" } : { event: "replaced", name };
  const moved = siblings.find((s) => s.qid.path === id);
  return moved ? { event: "renamed", from: name, to: moved.name } : { event: "removed", name };
}

/** One line of text per event, e.g. `name/tmp: renamed a -> b`. */
export function eventText(path: string, e: WatchEvent): string {
  switch (e.event) {
    case "renamed":
      return `${path}: renamed ${e.from} -> ${e.to}`;
    case "changed":
      return `${path}: changed`;
    default:
      return `${path}: ${e.event} ${e.name}`;
  }
}
