/**
 * The server's fences (spec 4.9), by hex fence id. A request with a non-null fence runs holding
 * its fence in read mode; an older epoch is Stale and does not run; a newer epoch takes the fence
 * in write mode, which waits for the running requests of the old epoch, then raises it.
 *
 * The table is bounded (docs/protsrv.md, "Fences"): at most `maxFences` entries, and each session
 * may use at most `maxFencesPerSession` distinct fence ids. An entry no live session has used
 * (every session that presented it has ended) and no request holds is *idle*; when a new fence id
 * finds the table full, the entry idle the longest is collected, and if none is idle the request
 * is Nomem. Spec 4.9 creates an absent fence on first use, so a collected fence id that comes
 * back starts again at the epoch of the request that brings it.
 *
 * With principals, who may create or raise an entry (docs/security.md, "Fences from the epoch
 * file"): where the server holds the epoch files itself (`epochFiles`: named), only a principal
 * that may write the fence's epoch file, and only to the epoch it holds; elsewhere, only the user
 * whose request first presented the fence id at this server.
 *
 * With a fence store (`store`: named on etcd, docs/named-etcd.md "Client fences") the table
 * starts from the fences the store holds, and each creation or raise is written there before any
 * request of the new epoch runs (the entry is held in write mode meanwhile); a collected or
 * removed fence is deleted there too. Requests then run inside `within`, so the store binds their
 * mutations to the fence. Without one (memfs) the table is memory only, as spec 4.9 describes.
 */
import { ErrCode, type Tfence } from "../../generated/sigmap/types.js";
import type { Principal } from "../auth/index.js";
import { SigmaError } from "../errors/index.js";
import { SortedNames, type FenceStore, type WaitContext } from "../fs/index.js";
import type { ProtLimits } from "./limits.js";
import {
  epochFactsOf,
  type EpochFacts,
  type EpochFiles,
  type RemoteEpochs,
} from "./epoch-facts.js";
import { bitsFor, MAY_WRITE } from "./perm-bits.js";
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
  /** Live sessions that have presented this fence. */
  users = 0;
  /** Its entry's size as `.fences`'s listing size counts it. */
  counted = 0;
  /** Why the store could not record it when it was new: it never fenced anything. */
  failed: unknown = undefined;

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

export type { EpochFacts, EpochFiles, RemoteEpochs } from "./epoch-facts.js";

export interface FenceTableInit {
  /** Where the server holds the epoch files: fences are checked against them. */
  epochFiles?: EpochFiles;
  /** Else where it reads them: fences are checked against what named says. */
  remoteEpochs?: RemoteEpochs;
  allocId: () => bigint;
  now: () => number;
  /** Runs when an entry appears or goes, so `.fences` can move its version. */
  changed: () => void;
  limits: Pick<ProtLimits, "maxFences" | "maxFencesPerSession">;
  /** Where the fences outlive this server (the etcd store); none: memory only. */
  store?: FenceStore;
}

/** A session as the fence table sees it: the entries it has presented. */
export interface FenceUser {
  readonly id: bigint;
  readonly fences: Set<FenceEntry>;
}

const NOOP_RELEASE: FenceRelease = () => {};

/** The null fence (id 0) is never checked. */
export function isNullFence(fence: Tfence): boolean {
  return fence.fenceid.path === 0n;
}

export class FenceTable {
  readonly #entries = new Map<string, FenceEntry>();
  readonly #names = new SortedNames();
  /** Idle entries (no live user), longest idle first: what a full table collects. */
  readonly #idle = new Map<string, FenceEntry>();
  readonly #init: FenceTableInit;
  #listing = 0;

  constructor(init: FenceTableInit) {
    this.#init = init;
    // A new leader's table: the fences its predecessors recorded, idle until a session presents
    // them (a taken-back session presents its fences again with its next fenced request).
    for (const f of init.store?.loaded() ?? []) {
      const name = f.id.toString(16);
      const entry = new FenceEntry(init.allocId(), name, f.epoch, f.owner, init.now);
      this.#entries.set(name, entry);
      this.#names.insert(name);
      this.#idle.set(name, entry);
      this.#recount(entry);
    }
  }

  get(name: string): FenceEntry | undefined {
    return this.#entries.get(name);
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Byte size of `.fences`'s full listing (spec 4.5), kept as entries come, go and change. */
  get listingBytes(): number {
    return this.#listing;
  }

  /** Up to `limit` names after `after`, in the order `.fences` lists them (byte-wise by hex id). */
  namesAfter(after: string | undefined, limit: number): string[] {
    return this.#names.after(after, limit);
  }

  /**
   * Removes `name` (through `.fences`), from the store too: deleted here at once, so a request
   * presenting the id again makes a new entry whose write the store orders after the deletion.
   */
  async remove(name: string): Promise<FenceEntry | undefined> {
    const entry = this.delete(name);
    if (entry !== undefined) await this.#init.store?.drop(BigInt(`0x${name}`));
    return entry;
  }

  /**
   * Runs `fn`, a request holding `fence` (entered), so that the store binds its mutations to the
   * fence's epoch; without a store, or for the null fence, just runs it.
   */
  within<T>(fence: Tfence, fn: () => Promise<T>): Promise<T> {
    const store = this.#init.store;
    if (store === undefined || isNullFence(fence)) return fn();
    return store.within(fence.fenceid.path, fence.epoch, fn);
  }

  /** Memory only: `remove` for the store's sake. */
  delete(name: string): FenceEntry | undefined {
    const entry = this.#entries.get(name);
    if (entry === undefined) return undefined;
    this.#entries.delete(name);
    this.#names.delete(name);
    this.#idle.delete(name);
    this.#listing -= entry.counted;
    entry.counted = 0;
    entry.linked = false;
    entry.bump();
    this.#init.changed();
    return entry;
  }

  /**
   * Checks `fence` for `user` (a session; none for server code's own requests) and holds it in
   * read mode; the null fence (id 0) is not checked. Nomem when the fence id is new and the
   * table, or the session's share of it, is full. With a principal (docs/security.md, "Fences"),
   * a new entry belongs to its user, and only that user or an admin raises its epoch: another
   * user's higher epoch is Stale and changes nothing.
   */
  async enter(
    fence: Tfence,
    user?: FenceUser,
    who: Principal | null = null,
  ): Promise<FenceRelease> {
    if (isNullFence(fence)) return NOOP_RELEASE;
    const checked = this.#init.epochFiles !== undefined || this.#init.remoteEpochs !== undefined;
    const byFile = checked && who !== null && who.role !== "admin";
    if (byFile) {
      const known = this.#entries.get(fence.fenceid.path.toString(16));
      if (known === undefined || fence.epoch > known.epoch) await this.#holdsEpoch(fence, who);
    }
    const entry = this.#entry(fence, user, who);
    for (;;) {
      if (fence.epoch < entry.epoch) throw new SigmaError(ErrCode.Stale, fenceText(fence));
      if (fence.epoch === entry.epoch) {
        await entry.lock.readLock();
        if (entry.failed !== undefined) {
          entry.lock.unlockRead();
          throw entry.failed;
        }
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
      if (!byFile && who !== null && who.role !== "admin" && who.user !== entry.owner) {
        throw new SigmaError(
          ErrCode.Stale,
          fenceText(fence),
          `stale fence: ${fenceText(fence)}: only the fence's owner raises its epoch`,
        );
      }
      await entry.lock.writeLock();
      try {
        if (entry.failed !== undefined) throw entry.failed;
        if (fence.epoch > entry.epoch) {
          // Durable before any request of the new epoch runs. An entry removed meanwhile is
          // not in the store any more and must not come back there.
          const store = this.#entries.get(entry.name) === entry ? this.#init.store : undefined;
          await store?.save({ id: fence.fenceid.path, epoch: fence.epoch, owner: entry.owner });
          entry.epoch = fence.epoch;
          entry.bump();
          this.#recount(entry);
        }
      } finally {
        entry.lock.unlockWrite();
      }
    }
  }

  /**
   * Stale unless `who` holds `fence`: it may write the fence's epoch file, which holds exactly
   * `fence.epoch` (an older epoch is a deposed leader's, a newer one nobody's yet).
   */
  async #holdsEpoch(fence: Tfence, who: Principal): Promise<void> {
    const text = fenceText(fence);
    const stale = (why: string): SigmaError =>
      new SigmaError(ErrCode.Stale, text, `stale fence: ${text}: ${why}`);
    const id = fence.fenceid.path;
    const local = this.#init.epochFiles;
    let facts: EpochFacts | undefined;
    try {
      facts =
        local !== undefined ? await epochFactsOf(local(id)) : await this.#init.remoteEpochs?.(id);
    } catch (e) {
      // named unreachable or the answer unreadable: the fence cannot be shown held.
      throw stale(
        `its epoch file could not be read (${e instanceof Error ? e.message : String(e)})`,
      );
    }
    if (facts === undefined) {
      const where = local !== undefined ? "at this server" : "in named";
      throw stale(`no epoch file with this fence id ${where}`);
    }
    if (who.role === "readonly" || (bitsFor(who, facts.owner, facts.perm) & MAY_WRITE) === 0) {
      throw stale(`${who.user} may not write its epoch file, so does not hold its epoch`);
    }
    const held = facts.epoch;
    if (held === "" || BigInt(`0x${held}`) !== fence.epoch) {
      throw stale(`its epoch file holds epoch ${held === "" ? "0" : held}`);
    }
  }

  /** `user` has ended: the fences only it used become idle (collectable when room is needed). */
  leave(user: FenceUser): void {
    for (const entry of user.fences) {
      entry.users--;
      if (entry.users === 0 && entry.linked) this.#idle.set(entry.name, entry);
    }
    user.fences.clear();
  }

  #entry(fence: Tfence, user: FenceUser | undefined, who: Principal | null): FenceEntry {
    const name = fence.fenceid.path.toString(16);
    let entry = this.#entries.get(name);
    if (entry === undefined) {
      this.#checkUser(user, name);
      const collected = this.#makeRoom(name);
      entry = new FenceEntry(
        this.#init.allocId(),
        name,
        fence.epoch,
        who?.user ?? "",
        this.#init.now,
      );
      this.#entries.set(name, entry);
      this.#names.insert(name);
      this.#recount(entry);
      this.#init.changed();
      if (user === undefined) this.#idle.set(name, entry);
      if (this.#init.store !== undefined) this.#record(this.#init.store, entry, fence, collected);
    }
    if (user !== undefined && !user.fences.has(entry)) {
      this.#checkUser(user, name);
      user.fences.add(entry);
      entry.users++;
      this.#idle.delete(name);
    }
    return entry;
  }

  #checkUser(user: FenceUser | undefined, name: string): void {
    const max = this.#init.limits.maxFencesPerSession;
    if (user === undefined || user.fences.size < max) return;
    throw new SigmaError(
      ErrCode.Nomem,
      name,
      `out of memory: session ${user.id.toString(16)} has used maxFencesPerSession (${max}) fence ids`,
    );
  }

  /**
   * A new entry is held in write mode until the store has recorded it (with the deletion of the
   * entry its arrival collected), so no request of its epoch runs before that; if the store
   * fails, the entry goes and the requests waiting on it get the store's error.
   */
  #record(store: FenceStore, entry: FenceEntry, fence: Tfence, collected?: string): void {
    void entry.lock.writeLock(); // a new entry's lock is free: taken at once
    const dropped = collected === undefined ? undefined : BigInt(`0x${collected}`);
    store
      .save({ id: fence.fenceid.path, epoch: entry.epoch, owner: entry.owner }, dropped)
      .catch((e: unknown) => {
        entry.failed = e;
        if (this.#entries.get(entry.name) === entry) this.delete(entry.name);
      })
      .finally(() => entry.lock.unlockWrite());
  }

  /**
   * A full table collects its longest-idle entry that no request holds (its name is returned);
   * none: Nomem.
   */
  #makeRoom(name: string): string | undefined {
    const max = this.#init.limits.maxFences;
    if (this.#entries.size < max) return undefined;
    for (const [idleName, entry] of this.#idle) {
      if (!entry.lock.free) continue;
      this.delete(idleName);
      return idleName;
    }
    throw new SigmaError(
      ErrCode.Nomem,
      name,
      `out of memory: the fence table holds maxFences (${max}) fences, all in use by live sessions`,
    );
  }

  #recount(entry: FenceEntry): void {
    const now = entry.entryBytes();
    this.#listing += now - entry.counted;
    entry.counted = now;
  }
}
