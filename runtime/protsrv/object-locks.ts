/**
 * Object locks and the watches that hang off them (spec 4.1, 4.7; docs/protsrv.md). protsrv
 * locks objects by identity (object id), not path names as SigmaOS did: a path key costs the
 * whole joined path at every element of a walk (a walk through n directories cost O(n^2)), and
 * an object's identity does not go stale when a directory above it is renamed. Entries are
 * reference-counted (holders, waiters and lock waiters) and dropped when unused, so the table
 * stays as small as the set of objects in use.
 *
 * Deadlock freedom: every holder of several locks takes them in ascending object-id order, and a
 * holder of one lock never waits for another (walks take none, see walk.ts). Object ids never
 * change, so the order cannot shift under a waiter, whatever renames happen meanwhile.
 *
 * Cost: nearly every lock is free. A free lock is taken synchronously (`tryLock`): no promise, no
 * microtask turn. Only a held one makes the caller wait in the mutex's FIFO queue.
 */
import { Cond, type FsObj, type WaitContext } from "../fs/index.js";
import { Mutex } from "./mutex.js";

/** One object's lock and watch, in the table while anybody holds, awaits or watches it. */
class Entry {
  readonly mutex = new Mutex();
  /** Created by the first watch on the object: most locked objects are never watched. */
  watch: Cond | undefined;
  refs = 0;
  readonly #id: bigint;
  readonly #table: Map<bigint, Entry>;

  constructor(table: Map<bigint, Entry>, id: bigint) {
    this.#table = table;
    this.#id = id;
  }

  /** Drops one reference (a holder, a waiter); the last one takes the entry out of the table. */
  unref(): void {
    this.refs--;
    if (this.refs === 0) this.#table.delete(this.#id);
  }
}

/** Locks held together; release is idempotent. */
export interface Held {
  release(): void;
}

export class ObjectLocks {
  readonly #entries = new Map<bigint, Entry>();

  /** Entries alive now (for tests: the table must not grow without bound). */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * The locks of every distinct object in `objs`, taken at once if all are free; undefined, with
   * nothing taken or queued, if any is held (then wait with `lock`). Checking and taking happen
   * in one synchronous step, so nobody can take one of them in between.
   */
  tryLock(...objs: FsObj[]): Held | undefined {
    if (objs.length === 1) return this.#tryOne((objs[0] as FsObj).id);
    const ids = orderedIds(objs);
    for (const id of ids) if (this.#entries.get(id)?.mutex.locked === true) return undefined;
    const entries: Entry[] = [];
    for (const id of ids) {
      const entry = this.#ref(id);
      entry.mutex.tryLock();
      entries.push(entry);
    }
    return new HeldMany(entries);
  }

  /** The locks of every distinct object in `objs`, in ascending id order, waiting for held ones. */
  async lock(...objs: FsObj[]): Promise<Held> {
    const held = this.tryLock(...objs);
    if (held !== undefined) return held;
    const entries: Entry[] = [];
    for (const id of orderedIds(objs)) {
      const entry = this.#ref(id);
      entries.push(entry);
      await entry.mutex.lock();
    }
    return new HeldMany(entries);
  }

  /**
   * Registers a wait on `obj`'s watch. Call it while holding that object's lock and release the
   * lock afterwards: the registration is synchronous, so no wake-up between the two is lost.
   */
  waitOn(obj: FsObj, ctx: WaitContext): Promise<void> {
    const entry = this.#ref(obj.id);
    entry.watch ??= new Cond();
    return entry.watch.wait(ctx).finally(() => entry.unref());
  }

  /** Wakes every watch on `obj` (nothing if it is undefined: a rename replaced nothing). */
  wake(obj: FsObj | undefined): void {
    if (obj !== undefined) this.#entries.get(obj.id)?.watch?.broadcast();
  }

  #tryOne(id: bigint): Held | undefined {
    const found = this.#entries.get(id);
    if (found !== undefined && found.mutex.locked) return undefined;
    const entry = found ?? this.#add(id);
    entry.refs++;
    entry.mutex.tryLock();
    return new HeldOne(entry);
  }

  #ref(id: bigint): Entry {
    const entry = this.#entries.get(id) ?? this.#add(id);
    entry.refs++;
    return entry;
  }

  #add(id: bigint): Entry {
    const entry = new Entry(this.#entries, id);
    this.#entries.set(id, entry);
    return entry;
  }
}

// The distinct ids of `objs`, ascending. Distinct: one object named twice (a rename onto
// itself, the overlay root and the store root it wraps) is one lock, and taking it twice would
// deadlock.
function orderedIds(objs: readonly FsObj[]): bigint[] {
  const ids: bigint[] = [];
  for (const o of objs) if (!ids.includes(o.id)) ids.push(o.id);
  return ids.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

// One lock; a class rather than a closure, as most requests take exactly one.
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
