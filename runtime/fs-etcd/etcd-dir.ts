/**
 * Directories of the etcd store. Entries live in the cache only: each object's key names its
 * parent and its name, so creating, removing or moving an entry is writing, deleting or
 * rewriting the object's key, plus the directory's own key for its version move. Every such
 * transaction compares the mod revision of each key it rewrites or deletes (the versions it
 * relies on) and that a new key is absent, besides the leader's fence (committer.ts).
 */
import { ErrCode, Perm } from "../../generated/sigmap/types.js";
import { SigmaError } from "../errors/index.js";
import {
  SortedNames,
  type CreateOptions,
  type Dir,
  type DirEntry,
  type FsObj,
  type RenameResult,
} from "../fs/index.js";
import { kindOfPerm } from "../fs/perm-kind.js";
import { absent, del, put, unchanged, type Plan } from "./committer.js";
import { EtcdFile, EtcdSymlink, MAX_ETCD_FILE } from "./etcd-bytes.js";
import { EtcdNode, NO_LEASE, type EtcdStoreCore } from "./etcd-node.js";
import { encodeRecord, type ObjRecord } from "./keys.js";

/** An object of the etcd store. */
export type EtcdObj = EtcdNode & FsObj;

export class EtcdDir extends EtcdNode implements Dir {
  readonly kind = "dir";
  readonly #entries = new Map<string, EtcdObj>();
  readonly #names = new SortedNames();
  #listing = 0;

  get entryCount(): number {
    return this.#entries.size;
  }

  /** The cached entries, unordered (the id index walks them; no serving check). */
  entries(): IterableIterator<EtcdObj> {
    return this.#entries.values();
  }

  async lookup(name: string): Promise<FsObj | undefined> {
    this.store.checkServing();
    return this.#entries.get(name);
  }

  async list(after: string | undefined, limit: number): Promise<DirEntry[]> {
    this.store.checkServing();
    return this.#names.after(after, limit).map((name) => ({ name, obj: this.#entries.get(name)! }));
  }

  async create(name: string, perm: number, opts: CreateOptions): Promise<FsObj> {
    this.store.checkServing();
    const kind = kindOfPerm(perm, name);
    if (kind === "pipe") {
      throw new SigmaError(
        ErrCode.NotSupported,
        name,
        `not supported: the etcd store holds no named pipes (${name})`,
      );
    }
    const content = initialContent(opts, name);
    // An ephemeral object lives under its session's lease: etcd removes it when the lease ends.
    const lease =
      (perm & Perm.DMTMP) !== 0 && opts.session !== undefined
        ? await this.store.sessionLease(opts.session)
        : NO_LEASE;
    return this.store.submit((): Plan<FsObj> => {
      if (!this.linked) throw new SigmaError(ErrCode.Notfound, this.name);
      if (this.#entries.has(name)) throw new SigmaError(ErrCode.Exists, name);
      const id = this.store.planId();
      const mtime = this.store.now();
      const rec: ObjRecord = {
        kind,
        perm,
        owner: opts.owner,
        version: 1,
        mtime,
        name,
        parent: this.id,
      };
      const key = this.store.keys.obj(id.id);
      return {
        compares: [unchanged(this.key, this.modRev), absent(key), ...id.compares],
        ops: [
          put(key, encodeRecord(rec, content), lease),
          put(this.key, this.value({ version: this.nextVersion(), mtime }), this.lease),
          ...id.ops,
        ],
        keys: [this.keyText, key.toString(), ...id.keys],
        apply: (rev) => {
          id.commit();
          const obj = makeObj(this.store, id.id, rec, this, rev, lease, content);
          this.insert(obj);
          this.moved(rev, mtime);
          return obj;
        },
      };
    });
  }

  remove(name: string, expect?: FsObj): Promise<FsObj> {
    this.store.checkServing();
    return this.store.submit((): Plan<FsObj> => {
      const obj = this.#entries.get(name);
      if (obj === undefined || (expect !== undefined && obj !== expect)) {
        throw new SigmaError(ErrCode.Notfound, name);
      }
      if (obj instanceof EtcdDir && obj.entryCount > 0) {
        throw new SigmaError(ErrCode.NotEmpty, name);
      }
      const mtime = this.store.now();
      return {
        // An ephemeral object may go with its session's lease before the watch says so: the
        // remove then fails with Notfound, not the leader (committer.ts).
        ...leasedKeys(obj),
        compares: [unchanged(this.key, this.modRev), unchanged(obj.key, obj.modRev)],
        ops: [
          del(obj.key),
          put(this.key, this.value({ version: this.nextVersion(), mtime }), this.lease),
        ],
        keys: [this.keyText, obj.keyText],
        apply: (rev) => {
          this.detach(name);
          obj.unlink();
          obj.moved(rev, mtime);
          this.moved(rev, mtime);
          return obj;
        },
      };
    });
  }

  rename(oldName: string, newDir: Dir, newName: string, expect?: FsObj): Promise<RenameResult> {
    this.store.checkServing();
    const target = etcdDirOf(newDir);
    if (target === undefined || target.store !== this.store) {
      throw new SigmaError(
        ErrCode.Inval,
        newName,
        `invalid argument: rename ${oldName} across stores`,
      );
    }
    return this.store.submit((): Plan<RenameResult> => {
      const obj = this.#entries.get(oldName);
      if (obj === undefined || (expect !== undefined && obj !== expect)) {
        throw new SigmaError(ErrCode.Notfound, oldName);
      }
      if (target === this && oldName === newName) {
        return {
          compares: [],
          ops: [],
          keys: [],
          apply: () => ({ moved: obj, replaced: undefined }),
        };
      }
      if (obj instanceof EtcdDir && obj.isAncestorOf(target)) {
        throw new SigmaError(
          ErrCode.Inval,
          newName,
          `invalid argument: move ${oldName} into itself`,
        );
      }
      const replaced = target.#entries.get(newName);
      if (replaced !== undefined) checkReplace(obj, replaced, newName);
      const mtime = this.store.now();
      const compares = [unchanged(obj.key, obj.modRev), unchanged(this.key, this.modRev)];
      const ops = [
        put(
          obj.key,
          obj.value({ name: newName, parent: target.id, version: obj.nextVersion(), mtime }),
          obj.lease,
        ),
        put(this.key, this.value({ version: this.nextVersion(), mtime }), this.lease),
      ];
      const keys = [obj.keyText, this.keyText];
      if (target !== this) {
        compares.push(unchanged(target.key, target.modRev));
        ops.push(
          put(target.key, target.value({ version: target.nextVersion(), mtime }), target.lease),
        );
        keys.push(target.keyText);
      }
      if (replaced !== undefined) {
        compares.push(unchanged(replaced.key, replaced.modRev));
        ops.push(del(replaced.key));
        keys.push(replaced.keyText);
      }
      return {
        ...(replaced === undefined ? {} : leasedKeys(replaced)),
        compares,
        ops,
        keys,
        apply: (rev) => {
          if (replaced !== undefined) {
            target.detach(newName);
            replaced.unlink();
            replaced.moved(rev, mtime);
          }
          this.detach(oldName);
          obj.name = newName;
          obj.parent = target;
          target.insert(obj);
          obj.moved(rev, mtime);
          this.moved(rev, mtime);
          if (target !== this) target.moved(rev, mtime);
          return { moved: obj, replaced };
        },
      };
    });
  }

  /** Links an object into the cache (a create, a rename, the load); moves no version. */
  insert(obj: EtcdObj): void {
    this.#entries.set(obj.name, obj);
    this.#names.insert(obj.name);
    this.entryChanged(obj.enterListing());
  }

  /** Unlinks `name` from the cache. */
  detach(name: string): void {
    const obj = this.#entries.get(name);
    this.#entries.delete(name);
    this.#names.delete(name);
    if (obj !== undefined) this.entryChanged(-obj.leaveListing());
  }

  entryChanged(delta: number): void {
    this.#listing += delta;
    this.refreshEntry();
  }

  protected override size(): bigint {
    return BigInt(this.#listing);
  }

  isAncestorOf(dir: EtcdDir): boolean {
    for (let d: EtcdDir | undefined = dir; d !== undefined; d = d.parent as EtcdDir | undefined) {
      if (d === this) return true;
    }
    return false;
  }
}

/** Plan.leased for a plan deleting `obj`: its key, if it lives under a session's lease. */
function leasedKeys(obj: EtcdObj): { leased?: Buffer[] } {
  return obj.lease === NO_LEASE ? {} : { leased: [obj.key] };
}

function initialContent(opts: CreateOptions, name: string): Uint8Array {
  const data = opts.content ?? new Uint8Array(0);
  const at = Number(opts.contentOffset ?? 0n);
  if (at === 0) return new Uint8Array(data);
  if (at + data.length > MAX_ETCD_FILE) {
    throw new SigmaError(
      ErrCode.Nomem,
      name,
      `out of memory: the etcd store holds at most ${MAX_ETCD_FILE} B per file (one etcd value)`,
    );
  }
  const out = new Uint8Array(at + data.length);
  out.set(data, at);
  return out;
}

/** Builds the cached object for a record (a create, or the load). */
export function makeObj(
  store: EtcdStoreCore,
  id: bigint,
  r: ObjRecord,
  parent: EtcdDir | undefined,
  modRev: string,
  lease: string,
  content: Uint8Array,
): EtcdObj {
  const obj =
    r.kind === "dir"
      ? new EtcdDir(store, id, r, parent, modRev, lease)
      : r.kind === "symlink"
        ? new EtcdSymlink(store, id, r, parent, modRev, lease, content)
        : new EtcdFile(store, id, r, parent, modRev, lease, content);
  store.track(obj);
  return obj;
}

function checkReplace(moved: EtcdObj, target: EtcdObj, name: string): void {
  if (moved instanceof EtcdDir) {
    if (!(target instanceof EtcdDir)) throw new SigmaError(ErrCode.NotDir, name);
    if (target.entryCount > 0) throw new SigmaError(ErrCode.NotEmpty, name);
  } else if (target instanceof EtcdDir) {
    throw new SigmaError(
      ErrCode.Isdir,
      name,
      `is a directory: ${name} cannot be replaced by a non-directory`,
    );
  }
}

/** The etcd directory behind `dir` (through wrappers such as the overlay root), if any. */
export function etcdDirOf(dir: Dir): EtcdDir | undefined {
  let d: Dir | undefined = dir;
  while (d !== undefined && !(d instanceof EtcdDir)) d = d.backing;
  return d;
}
