/**
 * What every memfs object shares: identity, metadata, the version that moves on every mutation
 * (spec 4.3, deviation 10), and its charge against the store's byte quota.
 */
import { NoV } from "../../generated/sigmap/types.js";
import type { Account } from "./byte-buffer.js";
import { entryBytes, utf8Bytes } from "./stat-size.js";
import type { Dir, FsObj, ObjMeta } from "./types.js";

/** A directory keeping its listing size (spec 4.5): its entries report their size changes. */
interface Listing {
  entryChanged(delta: number): void;
}

/** The store-wide parts a node needs: ids, the clock and the quota. */
export interface MemStore {
  allocId(): bigint;
  /** Seconds. */
  now(): number;
  /** Takes `bytes` of the quota for `name`'s sake; Nomem, with nothing taken, past the quota. */
  charge(bytes: number, name: string): void;
  /** Gives back bytes charged earlier. */
  uncharge(bytes: number): void;
  /** A directory linked `obj`; it left the tree (for the store's id index, if it keeps one). */
  linked?(obj: FsObj): void;
  unlinked?(id: bigint): void;
}

/**
 * What an object costs the quota besides its content: the node, its directory entry (map slot,
 * sorted name) and the server's bookkeeping of it: about 350 bytes of heap per empty file
 * measured in protsrv + memfs, about 900 bytes of RSS per 100-byte file in named (bench `named`,
 * named-rss). 1 KiB keeps the quota an upper bound.
 */
export const OBJECT_BYTES = 1024;

export abstract class MemNode implements Account {
  readonly id: bigint;
  readonly perm: number;
  readonly store: MemStore;
  version = 1;
  mtime: number;
  owner: string;
  name: string;
  parent: Dir | undefined;
  linked = true;
  /** Bytes this object holds against the quota; given back by `release`. */
  #charged = 0;
  #nameBytes: number;
  readonly #ownerBytes: number;
  /** The size of this object's entry as its directory last counted it; 0 while in none. */
  #entry = 0;

  /** Charges the object's own cost (plus `extra`) first: past the quota, nothing is built. */
  constructor(
    store: MemStore,
    perm: number,
    owner: string,
    name: string,
    parent: Dir | undefined,
    extra = 0,
  ) {
    const cost = OBJECT_BYTES + 2 * name.length + extra;
    store.charge(cost, name);
    this.#charged = cost;
    this.store = store;
    this.id = store.allocId();
    this.perm = perm;
    this.owner = owner;
    this.#ownerBytes = utf8Bytes(owner);
    this.name = name;
    this.#nameBytes = utf8Bytes(name);
    this.parent = parent;
    this.mtime = store.now();
  }

  /** One mutation: the version moves once (never onto NoV) and mtime follows. */
  bump(): void {
    if (this.version < NoV - 1) this.version++;
    this.mtime = this.store.now();
    this.refreshEntry();
  }

  /** The directory taking this object in counts its entry: returns the size counted. */
  enterListing(): number {
    this.#entry = this.entryBytes();
    return this.#entry;
  }

  /** The directory letting this object go stops counting it: returns what it had counted. */
  leaveListing(): number {
    const e = this.#entry;
    this.#entry = 0;
    return e;
  }

  /** This object's entry may have changed size (version, mtime, length): its directory learns. */
  protected refreshEntry(): void {
    if (this.#entry === 0) return;
    const now = this.entryBytes();
    if (now === this.#entry) return;
    const delta = now - this.#entry;
    this.#entry = now;
    (this.parent as unknown as Listing | undefined)?.entryChanged(delta);
  }

  /** The size of this object's directory entry now (spec 2.7). */
  entryBytes(): number {
    return entryBytes({
      perm: this.perm,
      version: this.version,
      id: this.id,
      mtime: this.mtime,
      length: this.size(),
      nameBytes: this.#nameBytes,
      ownerBytes: this.#ownerBytes,
    });
  }

  /** The object left its directory (remove, or replaced by a rename). */
  unlink(): void {
    this.linked = false;
    this.parent = undefined;
    this.store.unlinked?.(this.id);
  }

  /**
   * Nothing references this removed object any more (the server holds no fid on it): its bytes
   * go back to the quota. A linked object keeps them; calling it twice gives back nothing more.
   */
  release(): void {
    if (this.linked || this.#charged === 0) return;
    this.store.uncharge(this.#charged);
    this.#charged = 0;
  }

  /** A rename changes the name's share of the charge (Nomem, with nothing changed, past it). */
  setName(newName: string): void {
    const delta = 2 * (newName.length - this.name.length);
    if (delta > 0) this.charge(delta);
    else if (delta < 0) this.uncharge(-delta);
    this.name = newName;
    this.#nameBytes = utf8Bytes(newName);
  }

  /** Gives back everything: the object was never linked (its construction failed). */
  protected abandon(): void {
    this.store.uncharge(this.#charged);
    this.#charged = 0;
  }

  charge(bytes: number): void {
    this.store.charge(bytes, this.name);
    this.#charged += bytes;
  }

  uncharge(bytes: number): void {
    const n = Math.min(bytes, this.#charged);
    this.store.uncharge(n);
    this.#charged -= n;
  }

  meta(): Promise<ObjMeta> {
    return Promise.resolve({
      version: this.version,
      mtime: this.mtime,
      owner: this.owner,
      name: this.name,
      length: this.size(),
      parent: this.parent,
      linked: this.linked,
    });
  }

  protected size(): bigint {
    return 0n;
  }
}
