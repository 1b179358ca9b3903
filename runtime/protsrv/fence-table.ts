/**
 * The server's fences (spec 4.9), by hex fence id. A request with a non-null fence runs holding
 * its fence in read mode; an older epoch is Stale and does not run; a newer epoch takes the fence
 * in write mode, which waits for the running requests of the old epoch, then raises it.
 */
import { ErrCode, type Tfence } from "../../generated/sigmap/types.js";
import { SigmaError } from "../errors/index.js";
import { SortedNames, type WaitContext } from "../fs/index.js";
import { RwLock } from "./rw-lock.js";
import { SyntheticDevice } from "./synthetic-node.js";

/** Releases a fence held in read mode; idempotent. */
export type FenceRelease = () => void;

/** A fence as text in errors: `<fence id hex>:<epoch hex>`. */
export function fenceText(f: Tfence): string {
  return `${f.fenceid.path.toString(16)}:${f.epoch.toString(16)}`;
}

/** One fence, also its `.fences/<hex id>` entry: listed and removable, not readable or writable. */
export class FenceEntry extends SyntheticDevice {
  epoch: bigint;
  readonly lock = new RwLock();

  constructor(id: bigint, name: string, epoch: bigint, owner: string, now: () => number) {
    super({ id, perm: 0o444, name, owner, now });
    this.epoch = epoch;
  }

  async read(
    _offset: bigint,
    _count: number,
    _ctx: WaitContext,
    _version?: number,
  ): Promise<Uint8Array> {
    throw this.unsupported("read");
  }
}

export interface FenceTableInit {
  allocId: () => bigint;
  now: () => number;
  /** Runs when an entry appears or goes, so `.fences` can move its version. */
  changed: () => void;
}

const NOOP_RELEASE: FenceRelease = () => {};

/** The null fence (id 0) is never checked. */
export function isNullFence(fence: Tfence): boolean {
  return fence.fenceid.path === 0n;
}

export class FenceTable {
  readonly #entries = new Map<string, FenceEntry>();
  readonly #names = new SortedNames();
  readonly #init: FenceTableInit;

  constructor(init: FenceTableInit) {
    this.#init = init;
  }

  get(name: string): FenceEntry | undefined {
    return this.#entries.get(name);
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Up to `limit` names after `after`, in the order `.fences` lists them (byte-wise by hex id). */
  namesAfter(after: string | undefined, limit: number): string[] {
    return this.#names.after(after, limit);
  }

  delete(name: string): FenceEntry | undefined {
    const entry = this.#entries.get(name);
    if (entry === undefined) return undefined;
    this.#entries.delete(name);
    this.#names.delete(name);
    entry.linked = false;
    entry.bump();
    this.#init.changed();
    return entry;
  }

  /** Checks `fence` and holds it in read mode; the null fence (id 0) is not checked. */
  async enter(fence: Tfence): Promise<FenceRelease> {
    if (isNullFence(fence)) return NOOP_RELEASE;
    const entry = this.#entry(fence);
    for (;;) {
      if (fence.epoch < entry.epoch) throw new SigmaError(ErrCode.Stale, fenceText(fence));
      if (fence.epoch === entry.epoch) {
        await entry.lock.readLock();
        // The epoch may have been raised while this request queued behind a writer.
        if (fence.epoch !== entry.epoch) {
          entry.lock.unlockRead();
          continue;
        }
        let released = false;
        return () => {
          if (released) return;
          released = true;
          entry.lock.unlockRead();
        };
      }
      await entry.lock.writeLock();
      if (fence.epoch > entry.epoch) {
        entry.epoch = fence.epoch;
        entry.bump();
      }
      entry.lock.unlockWrite();
    }
  }

  #entry(fence: Tfence): FenceEntry {
    const name = fence.fenceid.path.toString(16);
    let entry = this.#entries.get(name);
    if (entry === undefined) {
      entry = new FenceEntry(this.#init.allocId(), name, fence.epoch, "", this.#init.now);
      this.#entries.set(name, entry);
      this.#names.insert(name);
      this.#init.changed();
    }
    return entry;
  }
}
