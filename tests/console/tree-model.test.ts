/** The page's tree merging rules (web/src/tree-model.ts), without a browser. */
import { describe, expect, it } from "vitest";
import type { DirEvent, EntryJson } from "../../servers/console/index.js";
import {
  applyEvent,
  compareNames,
  listingPathOf,
  mergeEntries,
  ROOT,
  visibleRows,
  type Listing,
} from "../../servers/console/web/src/tree-model.js";

const entry = (dir: string, name: string, extra: Partial<EntryJson> = {}): EntryJson => ({
  ...ROOT,
  name,
  path: `${dir.replace(/\/$/, "")}/${name}`,
  kind: "file",
  qtype: 0,
  version: 1,
  ...extra,
});
const names = (l: Listing) => l.entries.map((e) => e.name);
const ev = (path: string, e: Partial<DirEvent>): DirEvent => ({
  path,
  added: [],
  removed: [],
  changed: [],
  dirVersion: 0,
  ...e,
});

describe("tree model", () => {
  it("orders names as the server does: by code point, not by UTF-16 unit", () => {
    const sorted = ["a", "b", "\u{ff5e}", "\u{1f600}"];
    expect([...sorted].reverse().sort(compareNames)).toEqual(sorted);
    expect(compareNames("ab", "a")).toBeGreaterThan(0);
    expect(compareNames("a", "a")).toBe(0);
  });

  it("lists directories by their path and symlinks through a trailing slash", () => {
    expect(listingPathOf(ROOT)).toBe("name/");
    expect(listingPathOf(entry("name/", "tmp", { kind: "dir" }))).toBe("name/tmp");
    expect(listingPathOf(entry("name/memfsd", "m1", { kind: "symlink" }))).toBe("name/memfsd/m1/");
    expect(listingPathOf(entry("name/tmp", "f"))).toBeNull();
  });

  it("merges a page, the page's copy of an entry winning", () => {
    const merged = mergeEntries(
      [entry("d", "b"), entry("d", "a")],
      [entry("d", "a", { version: 2 }), entry("d", "c")],
    );
    expect(merged.map((e) => [e.name, e.version])).toEqual([
      ["a", 2],
      ["b", 1],
      ["c", 1],
    ]);
  });

  it("applies removals and changes to what is loaded, additions only within the loaded range", () => {
    const partial: Listing = {
      entries: [entry("d", "b"), entry("d", "d")],
      cursor: "c1",
      loading: false,
      error: null,
    };
    const next = applyEvent(
      partial,
      ev("d", {
        added: [entry("d", "a"), entry("d", "c"), entry("d", "z")],
        removed: ["b"],
        changed: [entry("d", "d", { version: 5 })],
      }),
    );
    expect(names(next)).toEqual(["a", "c", "d"]); // z lies beyond the loaded pages
    expect(next.entries.find((e) => e.name === "d")?.version).toBe(5);
    const complete: Listing = { ...partial, cursor: null };
    expect(names(applyEvent(complete, ev("d", { added: [entry("d", "z")] })))).toEqual([
      "b",
      "d",
      "z",
    ]);
  });

  it("shows rows depth first, with a row to load more and a row for empty directories", () => {
    const tmp = entry("name/", "tmp", { kind: "dir" });
    const listings = new Map<string, Listing>([
      [
        "name/",
        {
          entries: [entry("name/", "boot", { kind: "dir" }), tmp],
          cursor: null,
          loading: false,
          error: null,
        },
      ],
      [
        "name/tmp",
        { entries: [entry("name/tmp", "f")], cursor: "next", loading: false, error: null },
      ],
      ["name/boot", { entries: [], cursor: null, loading: false, error: null }],
    ]);
    const rows = visibleRows(new Set(["name/", "name/tmp", "name/boot"]), listings);
    expect(rows.map((r) => [r.kind, r.depth, r.entry?.path ?? r.listing])).toEqual([
      ["entry", 0, "name/"],
      ["entry", 1, "name/boot"],
      ["empty", 2, "name/boot"],
      ["entry", 1, "name/tmp"],
      ["entry", 2, "name/tmp/f"],
      ["more", 2, "name/tmp"],
    ]);
  });
});
