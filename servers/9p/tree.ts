/**
 * What the gateway serves: a tree of nodes behind each aname. A 9P fid holds one node and, once
 * opened, one open file. The namespace tree (namespace-tree.ts) maps nodes to FsLib paths; the
 * ctl tree (ctl-tree.ts) is the small synthetic tree diod's tools expect. Operations a tree does
 * not have fail with EOPNOTSUPP (the base class), never silently.
 */
import type { Msg, Qid } from "./codec.js";
import { Errno, ErrnoError } from "./errno.js";

/** What every operation may be cancelled with (Tflush, a closed connection). */
export interface OpCtx {
  readonly signal: AbortSignal;
}

/**
 * A request's OpCtx. The AbortController is made only when an operation asks for the signal:
 * most requests (every ctl request, every reply from memory) never do, and making one per request
 * was a measurable share of a getattr.
 */
export class RequestCtx implements OpCtx {
  #ac: AbortController | undefined;
  #reason: unknown;
  #aborted = false;

  get signal(): AbortSignal {
    if (this.#ac === undefined) {
      this.#ac = new AbortController();
      if (this.#aborted) this.#ac.abort(this.#reason);
    }
    return this.#ac.signal;
  }

  abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    this.#ac?.abort(reason);
  }
}

/** Rgetattr's fields except the header and `valid` (the gateway fills those). */
export type Attr = Omit<Msg<"Rgetattr">, "type" | "tag" | "valid">;

/** Tsetattr's fields. */
export type SetAttr = Omit<Msg<"Tsetattr">, "type" | "tag" | "fid">;

/** One entry that Treaddir returns. */
export interface DirEntry {
  name: string;
  qid: Qid;
  /** Linux DT_* type. */
  dtype: number;
}

/** A directory being listed: entries in a stable order that a cursor can resume after. */
export interface DirStream {
  /** The next entry, or undefined at the end. */
  next(ctx: OpCtx): Promise<DirEntry | undefined>;
  close(): Promise<void>;
}

/** An opened node. */
export abstract class OpenFile {
  constructor(readonly qid: Qid) {}
  read(_off: bigint, _count: number, _ctx: OpCtx): Promise<Uint8Array> {
    return unsupported("read");
  }
  write(_off: bigint, _data: Uint8Array, _ctx: OpCtx): Promise<number> {
    return unsupported("write");
  }
  /** A fresh listing from the start (directories only). */
  list(_ctx: OpCtx): Promise<DirStream> {
    return Promise.reject(new ErrnoError(Errno.ENOTDIR, "readdir"));
  }
  fsync(_ctx: OpCtx): Promise<void> {
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** An open directory: 9P2000.L reads it with Treaddir only. */
export abstract class OpenDir extends OpenFile {
  override read(): Promise<Uint8Array> {
    return Promise.reject(new ErrnoError(Errno.EISDIR, "Tread of a directory: use Treaddir"));
  }
  override write(): Promise<number> {
    return Promise.reject(new ErrnoError(Errno.EISDIR, "Twrite of a directory"));
  }
  abstract override list(ctx: OpCtx): Promise<DirStream>;
}

/** A node of a tree. Walks return new nodes; the node a fid holds never changes under it. */
export abstract class Node {
  constructor(readonly qid: Qid) {}
  /** The node `name` below this one (`..` and `.` included). Errors: ENOENT, ENOTDIR. */
  abstract walk(name: string, ctx: OpCtx): Promise<Node>;
  abstract getattr(ctx: OpCtx): Promise<Attr>;
  abstract open(flags: number, ctx: OpCtx): Promise<OpenFile>;
  setattr(_a: SetAttr, _ctx: OpCtx): Promise<void> {
    return unsupported("setattr");
  }
  /** Creates a regular file `name` and opens it; the fid moves to the new node. */
  create(
    _name: string,
    _flags: number,
    _mode: number,
    _ctx: OpCtx,
  ): Promise<{ node: Node; file: OpenFile }> {
    return unsupported("lcreate");
  }
  mkdir(_name: string, _mode: number, _ctx: OpCtx): Promise<Qid> {
    return unsupported("mkdir");
  }
  symlink(_name: string, _target: string, _ctx: OpCtx): Promise<Qid> {
    return unsupported("symlink");
  }
  readlink(_ctx: OpCtx): Promise<string> {
    return unsupported("readlink");
  }
  /** Removes `name` in this directory. */
  unlinkat(_name: string, _flags: number, _ctx: OpCtx): Promise<void> {
    return unsupported("unlinkat");
  }
  /** Removes this node. */
  remove(_ctx: OpCtx): Promise<void> {
    return unsupported("remove");
  }
  /** Moves `oldName` of this directory to `newName` of `newDir` (a node of the same tree). */
  renameat(_oldName: string, _newDir: Node, _newName: string, _ctx: OpCtx): Promise<void> {
    return unsupported("renameat");
  }
  /** Moves this node to `name` in `dir`, returning the node at its new place. */
  rename(_dir: Node, _name: string, _ctx: OpCtx): Promise<Node> {
    return unsupported("rename");
  }
}

function unsupported(op: string): Promise<never> {
  return Promise.reject(new ErrnoError(Errno.EOPNOTSUPP, op));
}

/** Linux DT_* values for Treaddir. */
export const DT = { FIFO: 1, DIR: 4, REG: 8, LNK: 10 } as const;

/** Linux S_IF* values for Rgetattr's mode. */
export const S_IF = { DIR: 0o040000, REG: 0o100000, LNK: 0o120000 } as const;

/** Linux open(2) flags the gateway reads in Tlopen and Tlcreate. */
export const O = { ACCMODE: 3, RDONLY: 0, WRONLY: 1, RDWR: 2, TRUNC: 0o1000 } as const;

/** Tgetattr's mask of the basic fields (mode … blocks) and the data version. */
export const GETATTR_BASIC = 0x7ffn;
export const GETATTR_DATA_VERSION = 0x2000n;

/** Tsetattr's valid bits. */
export const SETATTR = {
  MODE: 0x1,
  UID: 0x2,
  GID: 0x4,
  SIZE: 0x8,
  ATIME: 0x10,
  MTIME: 0x20,
  CTIME: 0x40,
  ATIME_SET: 0x80,
  MTIME_SET: 0x100,
} as const;

/** Tunlinkat's flag for removing a directory. */
export const AT_REMOVEDIR = 0x200;

/** An attr with times at `sec` and the rest zero, for trees to fill in. */
export function baseAttr(qid: Qid, mode: number, size: bigint, sec: bigint): Attr {
  return {
    qid,
    mode,
    uid: 0,
    gid: 0,
    nlink: (mode & 0o170000) === S_IF.DIR ? 2n : 1n,
    rdev: 0n,
    size,
    blksize: 4096n,
    blocks: (size + 511n) / 512n,
    atimeSec: sec,
    atimeNsec: 0n,
    mtimeSec: sec,
    mtimeNsec: 0n,
    ctimeSec: sec,
    ctimeNsec: 0n,
    btimeSec: 0n,
    btimeNsec: 0n,
    gen: 0n,
    dataVersion: BigInt(qid.version),
  };
}
