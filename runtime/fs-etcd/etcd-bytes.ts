/**
 * Files and symlinks of the etcd store: the content is cached whole (reads never go to etcd) and
 * every change writes the object's one key, content and record together, in one transaction.
 * A removed object stays readable and writable through the fids that hold it (spec 4.2), but it
 * is no longer in etcd: its changes stay in this cache.
 */
import { ErrCode, NoOffset } from "../../generated/sigmap/types.js";
import { SigmaError } from "../errors/index.js";
import { checkVersion, type Dir, type File, type Symlink } from "../fs/index.js";
import { put, unchanged, type Plan } from "./committer.js";
import { EtcdNode, type EtcdStoreCore, type Listing } from "./etcd-node.js";
import { encodeRecord, type ObjRecord } from "./keys.js";

/**
 * The largest content of one object: one etcd value, under etcd's default request limit
 * (--max-request-bytes, 1.5 MiB) with room for the record.
 */
export const MAX_ETCD_FILE = 1 << 20;

abstract class EtcdBytes extends EtcdNode {
  #content: Uint8Array;

  constructor(
    store: EtcdStoreCore,
    id: bigint,
    r: ObjRecord,
    parent: (Dir & Listing) | undefined,
    modRev: string,
    lease: string,
    content: Uint8Array,
  ) {
    super(store, id, r, parent, modRev, lease);
    this.#content = content;
  }

  protected override content(): Uint8Array {
    return this.#content;
  }

  protected override size(): bigint {
    return BigInt(this.#content.length);
  }

  async read(offset: bigint, count: number, version?: number): Promise<Uint8Array> {
    this.store.checkServing();
    checkVersion(this.version, version);
    if (offset >= BigInt(this.#content.length)) return new Uint8Array(0);
    const start = Number(offset);
    return this.#content.slice(start, start + count);
  }

  write(offset: bigint, data: Uint8Array, version?: number): Promise<number> {
    return this.#change(() => {
      checkVersion(this.version, version);
      const cur = this.#content;
      const at = offset === NoOffset ? cur.length : checkedOffset(offset, data.length, this.name);
      const next = new Uint8Array(Math.max(cur.length, at + data.length));
      next.set(cur);
      next.set(data, at);
      return { next, result: data.length };
    });
  }

  async truncate(size: bigint): Promise<void> {
    await this.#change(() => {
      const n = checkedOffset(size, 0, this.name);
      const next = new Uint8Array(n);
      next.set(this.#content.subarray(0, n));
      return { next, result: undefined };
    });
  }

  replace(data: Uint8Array): Promise<number> {
    return this.#change(() => {
      checkedOffset(0n, data.length, this.name);
      return { next: new Uint8Array(data), result: data.length };
    });
  }

  /** One version move with new content: one transaction, or only the cache once removed. */
  #change<T>(compute: () => { next: Uint8Array; result: T }): Promise<T> {
    this.store.checkServing();
    if (!this.linked) {
      const { next, result } = compute();
      this.#content = next;
      this.moved(this.modRev, this.store.now());
      return Promise.resolve(result);
    }
    return this.store.submit((): Plan<T> => {
      const { next, result } = compute();
      const mtime = this.store.now();
      const value = encodeRecord(this.record({ version: this.nextVersion(), mtime }), next);
      return {
        compares: [unchanged(this.key, this.modRev)],
        ops: [put(this.key, value, this.lease)],
        keys: [this.keyText],
        apply: (rev) => {
          this.#content = next;
          this.moved(rev, mtime);
          return result;
        },
      };
    });
  }
}

/** An offset + count within MAX_ETCD_FILE, as a number. */
function checkedOffset(offset: bigint, count: number, name: string): number {
  if (offset + BigInt(count) > BigInt(MAX_ETCD_FILE)) {
    throw new SigmaError(
      ErrCode.Nomem,
      name,
      `out of memory: the etcd store holds at most ${MAX_ETCD_FILE} B per file (one etcd value)`,
    );
  }
  return Number(offset);
}

export class EtcdFile extends EtcdBytes implements File {
  readonly kind = "file";
}

export class EtcdSymlink extends EtcdBytes implements Symlink {
  readonly kind = "symlink";
}
