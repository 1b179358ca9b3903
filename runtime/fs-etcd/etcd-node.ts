/**
 * What every object of the etcd store shares: its cached record (exact, since only the fenced
 * leader writes), the etcd mod revision of its key (compared by every mutation that rewrites or
 * deletes it), the lease it lives under (an ephemeral object's session lease, else none), and its
 * share of its directory's listing size (spec 4.5).
 */
import { NoV } from "../../generated/sigmap/types.js";
import { entryBytes, utf8Bytes, type Dir, type ObjMeta } from "../fs/index.js";
import type { Plan } from "./committer.js";
import { encodeRecord, type Keys, type ObjRecord } from "./keys.js";

/** The store-wide parts an object needs. */
export interface EtcdStoreCore {
  readonly keys: Keys;
  /** Throws unless this replica may still serve (its leader lease has not run out). */
  checkServing(): void;
  submit<T>(plan: () => Plan<T>): Promise<T>;
  now(): number;
  /** Object ids: planned by a create, kept if it commits (see EtcdFs.planId). */
  planId(): PlannedId;
  /** The cache's id index: a linked object is tracked, an unlinked one not. */
  track(obj: EtcdNode): void;
  untrack(id: bigint): void;
  /** The etcd lease of a session, granted on its first ephemeral object. */
  sessionLease(session: bigint): Promise<string>;
}

/** An object id a create plans to use, and the reservation it must write with it. */
export interface PlannedId {
  id: bigint;
  compares: Plan<unknown>["compares"];
  ops: Plan<unknown>["ops"];
  keys: string[];
  /** The create committed: the id is taken. */
  commit(): void;
}

/** No lease (etcd's lease id 0). */
export const NO_LEASE = "0";

/** Listing upkeep: a directory learns of its entries' size changes. */
export interface Listing {
  entryChanged(delta: number): void;
}

export abstract class EtcdNode {
  readonly id: bigint;
  readonly perm: number;
  readonly store: EtcdStoreCore;
  readonly key: Buffer;
  readonly keyText: string;
  version: number;
  mtime: number;
  owner: string;
  name: string;
  parent: (Dir & Listing) | undefined;
  linked = true;
  modRev: string;
  lease: string;
  #entry = 0;

  constructor(
    store: EtcdStoreCore,
    id: bigint,
    r: ObjRecord,
    parent: (Dir & Listing) | undefined,
    modRev: string,
    lease: string,
  ) {
    this.store = store;
    this.id = id;
    this.perm = r.perm;
    this.key = store.keys.obj(id);
    this.keyText = this.key.toString();
    this.version = r.version;
    this.mtime = r.mtime;
    this.owner = r.owner;
    this.name = r.name;
    this.parent = parent;
    this.modRev = modRev;
    this.lease = lease;
  }

  abstract readonly kind: ObjRecord["kind"];

  /** The record as it would be with `over` applied. */
  record(over: Partial<ObjRecord> = {}): ObjRecord {
    const parent = this.parent as unknown as { id: bigint } | undefined;
    return {
      kind: this.kind,
      perm: this.perm,
      owner: this.owner,
      version: this.version,
      mtime: this.mtime,
      name: this.name,
      parent: parent?.id,
      ...over,
    };
  }

  /** The object's key value with `over` applied: the record and the content. */
  value(over: Partial<ObjRecord> = {}): Buffer {
    return encodeRecord(this.record(over), this.content());
  }

  /** The next version (spec 4.3: it only grows and never becomes NoV). */
  nextVersion(): number {
    return this.version < NoV - 1 ? this.version + 1 : this.version;
  }

  /** Applies a committed version move. */
  moved(rev: string, mtime: number): void {
    this.version = this.nextVersion();
    this.mtime = mtime;
    this.modRev = rev;
    this.refreshEntry();
  }

  protected content(): Uint8Array | undefined {
    return undefined;
  }

  protected size(): bigint {
    return 0n;
  }

  enterListing(): number {
    this.#entry = this.entryBytes();
    return this.#entry;
  }

  leaveListing(): number {
    const e = this.#entry;
    this.#entry = 0;
    return e;
  }

  refreshEntry(): void {
    if (this.#entry === 0) return;
    const now = this.entryBytes();
    if (now === this.#entry) return;
    const delta = now - this.#entry;
    this.#entry = now;
    this.parent?.entryChanged(delta);
  }

  entryBytes(): number {
    return entryBytes({
      perm: this.perm,
      version: this.version,
      id: this.id,
      mtime: this.mtime,
      length: this.size(),
      nameBytes: utf8Bytes(this.name),
      ownerBytes: utf8Bytes(this.owner),
    });
  }

  unlink(): void {
    this.store.untrack(this.id);
    this.linked = false;
    this.parent = undefined;
  }

  meta(): Promise<ObjMeta> {
    this.store.checkServing();
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
}
