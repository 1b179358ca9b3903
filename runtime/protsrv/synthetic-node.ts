/**
 * Objects that protsrv itself serves in the overlay root (spec 10.1): `.statsd`, `.fences` and
 * its entries. They keep versions like any object (spec 4.3), but live outside the store.
 */
import { ErrCode, NoV } from "../../generated/sigmap/types.js";
import { SigmaError } from "../errors/index.js";
import {
  entryBytes,
  utf8Bytes,
  type Dir,
  type FsObj,
  type ObjMeta,
  type WaitContext,
} from "../fs/index.js";

export interface SyntheticInit {
  id: bigint;
  perm: number;
  name: string;
  owner: string;
  now: () => number;
}

export class SyntheticNode {
  readonly id: bigint;
  readonly perm: number;
  readonly name: string;
  readonly owner: string;
  readonly now: () => number;
  parent: Dir | undefined;
  version = 1;
  mtime: number;
  linked = true;

  constructor(init: SyntheticInit) {
    this.id = init.id;
    this.perm = init.perm;
    this.name = init.name;
    this.owner = init.owner;
    this.now = init.now;
    this.mtime = init.now();
  }

  bump(): void {
    if (this.version < NoV - 1) this.version++;
    this.mtime = this.now();
  }

  async meta(): Promise<ObjMeta> {
    return {
      version: this.version,
      mtime: this.mtime,
      owner: this.owner,
      name: this.name,
      length: this.length(),
      parent: this.linked ? this.parent : undefined,
      linked: this.linked,
    };
  }

  /** The size of this object's directory entry now (spec 2.7). */
  entryBytes(): number {
    return entryBytes({
      perm: this.perm,
      version: this.version,
      id: this.id,
      mtime: this.mtime,
      length: this.length(),
      nameBytes: utf8Bytes(this.name),
      ownerBytes: utf8Bytes(this.owner),
    });
  }

  protected length(): bigint {
    return 0n;
  }
}

/** A synthetic device: read-only or fully unsupported, never opened into anything else. */
export abstract class SyntheticDevice extends SyntheticNode {
  readonly kind = "device";
  readonly rpc = false;

  async open(_mode: number, _ctx: WaitContext): Promise<FsObj | undefined> {
    return undefined;
  }

  async close(_mode: number, _ctx: WaitContext): Promise<void> {}

  async write(
    _offset: bigint,
    _data: Uint8Array,
    _ctx: WaitContext,
    _version?: number,
  ): Promise<number> {
    throw this.unsupported("write");
  }

  async writeRead(_req: Uint8Array, _ctx: WaitContext): Promise<Uint8Array> {
    throw this.unsupported("writeread");
  }

  protected unsupported(op: string): SigmaError {
    return new SigmaError(ErrCode.NotSupported, this.name, `not supported: ${op} on ${this.name}`);
  }
}
