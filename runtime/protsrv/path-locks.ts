/**
 * Path locks and the watches that hang off them (spec 4.1, 4.7). Servers lock path names, not
 * objects. Entries are reference-counted (holders, waiters and lock waiters) and dropped when
 * unused, so the table stays as small as the set of paths in use.
 *
 * Deadlock freedom: every holder of several locks takes them in one total order, comparing paths
 * element by element with a prefix first. A parent precedes its children, so this order includes
 * the spec's "parent first, then child" and hand-over-hand walking; renameat uses it too instead
 * of object-id order, which does not agree with parent-first when one directory contains the other.
 *
 * Cost: every request takes several of these locks (a walk takes one per element), and nearly
 * all of them are free. A free lock is therefore taken synchronously (`tryLockKey`, `tryLockAll`):
 * no promise, no microtask turn. Only a held one makes the caller wait in the mutex's FIFO queue.
 */
import { Cond, compareNames, type WaitContext } from "../fs/index.js";
import { Mutex } from "./mutex.js";

/** One path's lock and watch, in the table while anybody holds, awaits or watches it. */
class Entry {
  readonly mutex = new Mutex();
  /** Created by the first watch on the path: most locked paths are never watched. */
  watch: Cond | undefined;
  refs = 0;
  readonly #key: string;
  readonly #table: Map<string, Entry>;

  constructor(table: Map<string, Entry>, key: string) {
    this.#table = table;
    this.#key = key;
  }

  /** Drops one reference (a holder, a waiter); the last one takes the entry out of the table. */
  unref(): void {
    this.refs--;
    if (this.refs === 0) this.#table.delete(this.#key);
  }
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

  lock(path: readonly string[]): Promise<Held> {
    return this.lockKey(pathKey(path));
  }

  /**
   * The lock of the path whose key (see `pathKey`) is `key`, taken at once if nobody holds it;
   * undefined, with nothing taken or queued, if somebody does (then wait with `lockKey`).
   */
  tryLockKey(key: string): Held | undefined {
    const found = this.#entries.get(key);
    if (found !== undefined && found.mutex.locked) return undefined;
    const entry = found ?? this.#add(key);
    entry.refs++;
    entry.mutex.tryLock();
    return new HeldOne(entry);
  }

  /** The lock of the path whose key is `key`, waiting in line if it is held. */
  async lockKey(key: string): Promise<Held> {
    const held = this.tryLockKey(key);
    if (held !== undefined) return held;
    const entry = this.#ref(key);
    await entry.mutex.lock();
    return new HeldOne(entry);
  }

  /** Takes the locks of every distinct path, in the global order. */
  async lockAll(paths: readonly (readonly string[])[]): Promise<Held> {
    const keys = orderedKeys(paths);
    const held = this.#tryKeys(keys);
    if (held !== undefined) return held;
    const entries: Entry[] = [];
    for (const key of keys) {
      const entry = this.#ref(key);
      entries.push(entry);
      await entry.mutex.lock();
    }
    return new HeldMany(entries);
  }

  /**
   * Like lockAll, but only if every one of the locks is free: then all are taken at once, else
   * none is (undefined). Checking and taking happen in one synchronous step, so nobody can take
   * one of them in between.
   */
  tryLockAll(paths: readonly (readonly string[])[]): Held | undefined {
    return this.#tryKeys(orderedKeys(paths));
  }

  /**
   * Registers a wait on `path`'s watch. Call it while holding that path's lock and release the lock
   * afterwards: the registration is synchronous, so no wake-up between the two is lost.
   */
  waitOn(path: readonly string[], ctx: WaitContext): Promise<void> {
    const entry = this.#ref(pathKey(path));
    entry.watch ??= new Cond();
    return entry.watch.wait(ctx).finally(() => entry.unref());
  }

  /** Wakes every watch on `path`. */
  wake(path: readonly string[]): void {
    this.#entries.get(pathKey(path))?.watch?.broadcast();
  }

  #tryKeys(keys: readonly string[]): Held | undefined {
    for (const key of keys) if (this.#entries.get(key)?.mutex.locked === true) return undefined;
    if (keys.length === 1) return this.tryLockKey(keys[0] as string);
    const entries: Entry[] = [];
    for (const key of keys) {
      const entry = this.#ref(key);
      entry.mutex.tryLock();
      entries.push(entry);
    }
    return new HeldMany(entries);
  }

  #ref(key: string): Entry {
    const entry = this.#entries.get(key) ?? this.#add(key);
    entry.refs++;
    return entry;
  }

  #add(key: string): Entry {
    const entry = new Entry(this.#entries, key);
    this.#entries.set(key, entry);
    return entry;
  }
}

/** The table key: elements joined by "/", so leading and trailing "/" never appear. */
export function pathKey(path: readonly string[]): string {
  return path.join("/");
}

/** The key of `name` below the path whose key is `parent`, built without re-joining the path. */
export function childKey(parent: string, name: string): string {
  return parent === "" ? name : `${parent}/${name}`;
}

export function comparePaths(a: readonly string[], b: readonly string[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compareNames(a[i] as string, b[i] as string);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

// The distinct keys of `paths` in the global order. Distinct by key, not by elements: two paths
// whose keys coincide are one lock, and taking it twice would deadlock.
function orderedKeys(paths: readonly (readonly string[])[]): string[] {
  const sorted = paths.length > 1 ? [...paths].sort(comparePaths) : paths;
  const keys: string[] = [];
  for (const path of sorted) {
    const key = pathKey(path);
    if (!keys.includes(key)) keys.push(key);
  }
  return keys;
}

// One lock; a class rather than a closure, as the walk creates one per element.
class HeldOne implements Held {
  #entry: Entry | undefined;

  constructor(entry: Entry) {
    this.#entry = entry;
  }

  release(): void {
    const entry = this.#entry;
    if (entry === undefined) return;
    this.#entry = undefined;
    entry.mutex.unlock();
    entry.unref();
  }
}

// Several locks, released in the reverse of the order they were taken.
class HeldMany implements Held {
  #entries: readonly Entry[] | undefined;

  constructor(entries: readonly Entry[]) {
    this.#entries = entries;
  }

  release(): void {
    const entries = this.#entries;
    if (entries === undefined) return;
    this.#entries = undefined;
    for (let i = entries.length - 1; i >= 0; i--) {
      const entry = entries[i] as Entry;
      entry.mutex.unlock();
      entry.unref();
    }
  }
}
