/**
 * Path locks and the watches that hang off them (spec 4.1, 4.7). Servers lock path names, not
 * objects. Entries are reference-counted (holders, waiters and lock waiters) and dropped when
 * unused, so the table stays as small as the set of paths in use.
 *
 * Deadlock freedom: every holder of several locks takes them in one total order, comparing paths
 * element by element with a prefix first. A parent precedes its children, so this order includes
 * the spec's "parent first, then child" and hand-over-hand walking; renameat uses it too instead
 * of object-id order, which does not agree with parent-first when one directory contains the other.
 */
import { Cond, compareNames, type WaitContext } from "../fs/index.js";
import { Mutex } from "./mutex.js";

interface Entry {
  readonly mutex: Mutex;
  readonly watch: Cond;
  refs: number;
}

/** Locks held together; release is idempotent. */
export interface Held {
  release(): void;
}

export class PathLocks {
  readonly #entries = new Map<string, Entry>();

  /** Entries alive now (for tests: the table must not grow without bound). */
  get size(): number {
    return this.#entries.size;
  }

  async lock(path: readonly string[]): Promise<Held> {
    return this.lockAll([path]);
  }

  /** Takes the locks of every distinct path, in the global order. */
  async lockAll(paths: readonly (readonly string[])[]): Promise<Held> {
    const keys = [...new Set(sortPaths(paths).map(pathKey))];
    const held: Entry[] = [];
    for (const key of keys) {
      const entry = this.#ref(key);
      held.push(entry);
      await entry.mutex.lock();
    }
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        for (let i = held.length - 1; i >= 0; i--) {
          const entry = held[i] as Entry;
          entry.mutex.unlock();
          this.#unref(keys[i] as string);
        }
      },
    };
  }

  /**
   * Registers a wait on `path`'s watch. Call it while holding that path's lock and release the lock
   * afterwards: the registration is synchronous, so no wake-up between the two is lost.
   */
  waitOn(path: readonly string[], ctx: WaitContext): Promise<void> {
    const key = pathKey(path);
    const entry = this.#ref(key);
    return entry.watch.wait(ctx).finally(() => this.#unref(key));
  }

  /** Wakes every watch on `path`. */
  wake(path: readonly string[]): void {
    this.#entries.get(pathKey(path))?.watch.broadcast();
  }

  #ref(key: string): Entry {
    let entry = this.#entries.get(key);
    if (entry === undefined) {
      entry = { mutex: new Mutex(), watch: new Cond(), refs: 0 };
      this.#entries.set(key, entry);
    }
    entry.refs++;
    return entry;
  }

  #unref(key: string): void {
    const entry = this.#entries.get(key);
    if (entry === undefined) return;
    entry.refs--;
    if (entry.refs === 0) this.#entries.delete(key);
  }
}

/** The table key: elements joined by "/", so leading and trailing "/" never appear. */
export function pathKey(path: readonly string[]): string {
  return path.join("/");
}

function sortPaths(paths: readonly (readonly string[])[]): (readonly string[])[] {
  return [...paths].sort(comparePaths);
}

export function comparePaths(a: readonly string[], b: readonly string[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compareNames(a[i] as string, b[i] as string);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}
