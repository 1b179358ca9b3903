/**
 * The tree's state and its traffic: expanding a directory first arms its watch (so nothing that
 * happens after the first page is read can be missed), then reads the first page; changes that
 * arrive while a page is on its way are applied again once it has been merged, since the page
 * may have been read before them.
 */
import type { DirEvent, DirPage } from "../../api-types.js";
import { errorMessage, getJson } from "./api.js";
import type { Live } from "./live.js";
import { Store } from "./store.js";
import { applyEvent, emptyListing, type Listing, mergeEntries } from "./tree-model.js";

/** Entries asked for per page. */
export const PAGE_SIZE = 200;

export interface TreeState {
  expanded: ReadonlySet<string>;
  listings: ReadonlyMap<string, Listing>;
}

export class TreeStore extends Store<TreeState> {
  readonly #live: Live;
  /** Events seen while a page of that directory was on its way. */
  readonly #inflight = new Map<string, DirEvent[]>();

  constructor(live: Live) {
    super({ expanded: new Set(), listings: new Map() });
    this.#live = live;
  }

  isExpanded(path: string): boolean {
    return this.value.expanded.has(path);
  }

  async expand(path: string): Promise<void> {
    if (this.isExpanded(path)) return;
    this.#put(path, emptyListing(), true);
    try {
      await this.#live.watch(path, true);
    } catch (e) {
      this.#put(path, { ...emptyListing(), loading: false, error: errorMessage(e) });
      return;
    }
    await this.#loadPage(path, undefined);
  }

  collapse(path: string): void {
    if (!this.isExpanded(path)) return;
    const expanded = new Set(this.value.expanded);
    expanded.delete(path);
    const listings = new Map(this.value.listings);
    listings.delete(path);
    this.set({ expanded, listings });
    void this.#live.watch(path, false).catch(() => undefined);
  }

  async loadMore(path: string): Promise<void> {
    const l = this.value.listings.get(path);
    if (l === undefined || l.loading || l.cursor === null) return;
    this.#put(path, { ...l, loading: true });
    await this.#loadPage(path, l.cursor);
  }

  /** A change from a directory's watch. */
  applyDirEvent(ev: DirEvent): void {
    this.#inflight.get(ev.path)?.push(ev);
    const l = this.value.listings.get(ev.path);
    if (l === undefined) return;
    this.#put(ev.path, applyEvent(l, ev));
    // A directory that went away takes its expanded subdirectories with it.
    for (const name of ev.removed) {
      const child = `${ev.path.replace(/\/$/, "")}/${name}`;
      for (const p of this.value.expanded) {
        if (p === child || p.startsWith(`${child}/`)) this.collapse(p);
      }
    }
  }

  /** After the live channel reconnected: watch and list every expanded directory again. */
  async resync(): Promise<void> {
    const paths = [...this.value.expanded];
    await Promise.all(
      paths.map(async (path) => {
        await this.#live.watch(path, true).catch(() => undefined);
        await this.#loadPage(path, undefined, true);
      }),
    );
  }

  async #loadPage(path: string, cursor: string | undefined, fresh = false): Promise<void> {
    const seen: DirEvent[] = [];
    this.#inflight.set(path, seen);
    try {
      const page = await getJson<DirPage>("/api/dir", {
        path,
        limit: String(PAGE_SIZE),
        cursor,
      });
      const l = this.value.listings.get(path);
      if (l === undefined) return; // collapsed meanwhile
      let next: Listing = {
        entries: mergeEntries(fresh ? [] : l.entries, page.entries),
        cursor: page.cursor,
        loading: false,
        error: null,
      };
      for (const ev of seen) next = applyEvent(next, ev);
      this.#put(path, next);
    } catch (e) {
      const l = this.value.listings.get(path);
      if (l !== undefined) this.#put(path, { ...l, loading: false, error: errorMessage(e) });
    } finally {
      if (this.#inflight.get(path) === seen) this.#inflight.delete(path);
    }
  }

  #put(path: string, l: Listing, expand = false): void {
    const listings = new Map(this.value.listings);
    listings.set(path, l);
    let expanded = this.value.expanded;
    if (expand) {
      const s = new Set(expanded);
      s.add(path);
      expanded = s;
    }
    this.set({ expanded, listings });
  }
}
