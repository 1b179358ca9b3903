/**
 * What every memfs object shares: identity, metadata, and the version that moves on every
 * mutation (spec 4.3, deviation 10).
 */
import { NoV } from "../../generated/sigmap/types.js";
import type { Dir, ObjMeta } from "./types.js";

/** The store-wide parts a node needs: ids and the clock. */
export interface MemStore {
  allocId(): bigint;
  /** Seconds. */
  now(): number;
}

export abstract class MemNode {
  readonly id: bigint;
  readonly perm: number;
  readonly store: MemStore;
  version = 1;
  mtime: number;
  owner: string;
  name: string;
  parent: Dir | undefined;
  linked = true;

  constructor(store: MemStore, perm: number, owner: string, name: string, parent: Dir | undefined) {
    this.store = store;
    this.id = store.allocId();
    this.perm = perm;
    this.owner = owner;
    this.name = name;
    this.parent = parent;
    this.mtime = store.now();
  }

  /** One mutation: the version moves once (never onto NoV) and mtime follows. */
  bump(): void {
    if (this.version < NoV - 1) this.version++;
    this.mtime = this.store.now();
  }

  /** The object left its directory (remove, or replaced by a rename). */
  unlink(): void {
    this.linked = false;
    this.parent = undefined;
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
