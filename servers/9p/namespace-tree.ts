/**
 * The anames `name` and `name/SUB/PATH`: the sigmap namespace through one FsLib (one session per
 * 9P connection). A node is a client-side path; a walk is a `stat` of the longer path, an open an
 * FsLib fd, a read or write a positional `pread`/`pwrite` on it, a listing FsLib's `dirEntries`
 * (whose server-side cursor resumes after the last name returned, spec 4.6). A symlink holding a
 * mount record is crossed at walk time, so a registered server appears as its root directory.
 */
import { MAXGETSET, Mode, QType, type Stat } from "../../generated/sigmap/types.js";
import { type FsLib, hasMountMarker, joinPath } from "../../runtime/client/index.js";
import type { Qid } from "./codec.js";
import { Errno, ErrnoError } from "./errno.js";
import { QT } from "./messages.js";
import {
  type Attr,
  baseAttr,
  type DirEntry,
  type DirStream,
  DT,
  Node,
  O,
  type OpCtx,
  OpenDir,
  OpenFile,
  S_IF,
  type SetAttr,
  SETATTR,
} from "./tree.js";

/** One connection's view of the namespace. */
export class Namespace {
  readonly #servers = new Map<string, bigint>();

  /** `uid`/`gid`: what Rgetattr reports as every object's owner (sigmap owners are names). */
  constructor(
    readonly fsl: FsLib,
    readonly uid: number,
    readonly gid: number,
  ) {}

  /** The node of `elems` (the path below `name/…` an aname selects); a final mount is crossed. */
  async root(elems: readonly string[], ctx: OpCtx): Promise<NsNode> {
    const path = joinPath(elems) + "/";
    const st = await this.fsl.stat(path, ctx);
    return new NsNode(this, [...elems], true, undefined, this.qidOf(st, path));
  }

  /**
   * A 9P qid from a sigmap Stat. Object ids are per server, so the server's position in this
   * connection's list of servers goes into the top 16 bits (named's is 0: its ids pass unchanged);
   * distinct objects of different servers then never share a qid path, which v9fs uses as the
   * inode number.
   */
  qidOf(st: Stat, path: string): Qid {
    return mixQid(st.qid.type, st.qid.version, st.qid.path, this.#serverIndex(path));
  }

  #serverIndex(path: string): bigint {
    const m = this.fsl.lastMount(path).mount;
    const key = `${m.addr.map((a) => a.addr).join(",")}|${m.root}`;
    let i = this.#servers.get(key);
    if (i === undefined) {
      i = BigInt(this.#servers.size);
      this.#servers.set(key, i);
    }
    return i;
  }

  attrOf(st: Stat, path: string): Attr {
    const qid = this.qidOf(st, path);
    const kind =
      (qid.type & QT.DIR) !== 0 ? S_IF.DIR : (qid.type & QT.SYMLINK) !== 0 ? S_IF.LNK : S_IF.REG;
    const a = baseAttr(qid, kind | (st.mode & 0o777), st.length, BigInt(st.mtime));
    a.uid = this.uid;
    a.gid = this.gid;
    return a;
  }
}

const PATH_BITS = 48n;
const PATH_MASK = (1n << PATH_BITS) - 1n;

function mixQid(type: number, version: number, path: bigint, server: bigint): Qid {
  return {
    type: type & 0xff,
    version,
    path: server === 0n ? path : (server << PATH_BITS) | (path & PATH_MASK),
  };
}

/** A path in the namespace. `resolve`: the last element is a mount crossed at walk time. */
export class NsNode extends Node {
  constructor(
    readonly ns: Namespace,
    readonly elems: readonly string[],
    readonly resolve: boolean,
    readonly parent: NsNode | undefined,
    qid: Qid,
  ) {
    super(qid);
  }

  /** The FsLib path naming this node. */
  get path(): string {
    return joinPath(this.elems) + (this.resolve ? "/" : "");
  }

  #child(name: string): string {
    checkName(name);
    return joinPath([...this.elems, name]);
  }

  async walk(name: string, ctx: OpCtx): Promise<Node> {
    if (name === ".") return this;
    if (name === "..") return this.parent ?? this;
    if ((this.qid.type & QT.DIR) === 0) throw new ErrnoError(Errno.ENOTDIR, name);
    const path = this.#child(name);
    const fsl = this.ns.fsl;
    let st = await fsl.stat(path, ctx);
    let resolve = false;
    if ((st.qid.type & QType.QTSYMLINK) !== 0 && hasMountMarker(await fsl.getFile(path, ctx))) {
      st = await fsl.stat(path + "/", ctx);
      resolve = true;
    }
    const elems = [...this.elems, name];
    return new NsNode(
      this.ns,
      elems,
      resolve,
      this,
      this.ns.qidOf(st, resolve ? path + "/" : path),
    );
  }

  async getattr(ctx: OpCtx): Promise<Attr> {
    return this.ns.attrOf(await this.ns.fsl.stat(this.path, ctx), this.path);
  }

  async open(flags: number, ctx: OpCtx): Promise<OpenFile> {
    const fsl = this.ns.fsl;
    if ((this.qid.type & QT.DIR) !== 0) {
      if ((flags & O.ACCMODE) !== O.RDONLY) throw new ErrnoError(Errno.EISDIR, this.path);
      const qid = this.ns.qidOf(await fsl.stat(this.path, ctx), this.path);
      return new NsDir(this, qid);
    }
    const fd = await fsl.open(this.path, sigmapMode(flags), ctx);
    const q = fsl.qid(fd);
    return new NsFile(fsl, fd, this.#qidOfFd(q));
  }

  #qidOfFd(q: { type: number; version: number; path: bigint }): Qid {
    // Same server as this node: reuse its mixing (the top bits of its own qid path).
    const server = this.qid.path >> PATH_BITS;
    return mixQid(q.type, q.version, q.path, server);
  }

  override async create(
    name: string,
    flags: number,
    mode: number,
    ctx: OpCtx,
  ): Promise<{ node: Node; file: OpenFile }> {
    const fsl = this.ns.fsl;
    const path = this.#child(name);
    const fd = await fsl.create(path, mode & 0o777, sigmapMode(flags), ctx);
    const qid = this.#qidOfFd(fsl.qid(fd));
    const node = new NsNode(this.ns, [...this.elems, name], false, this, qid);
    return { node, file: new NsFile(fsl, fd, qid) };
  }

  override async mkdir(name: string, mode: number, ctx: OpCtx): Promise<Qid> {
    const path = this.#child(name);
    await this.ns.fsl.mkDir(path, mode & 0o777, ctx);
    return this.ns.qidOf(await this.ns.fsl.stat(path, ctx), path);
  }

  override async symlink(name: string, target: string, ctx: OpCtx): Promise<Qid> {
    const path = this.#child(name);
    await this.ns.fsl.symlink(target, path, 0o777, ctx);
    return this.ns.qidOf(await this.ns.fsl.stat(path, ctx), path);
  }

  override async readlink(ctx: OpCtx): Promise<string> {
    if ((this.qid.type & QT.SYMLINK) === 0) throw new ErrnoError(Errno.EINVAL, "not a symlink");
    const bytes = await this.ns.fsl.getFile(joinPath(this.elems), ctx);
    return new TextDecoder().decode(bytes);
  }

  override async unlinkat(name: string, _flags: number, ctx: OpCtx): Promise<void> {
    await this.ns.fsl.remove(this.#child(name), ctx);
  }

  override async remove(ctx: OpCtx): Promise<void> {
    if (this.parent === undefined) throw new ErrnoError(Errno.EBUSY, "the attach root");
    await this.ns.fsl.remove(joinPath(this.elems), ctx);
  }

  override async renameat(
    oldName: string,
    newDir: Node,
    newName: string,
    ctx: OpCtx,
  ): Promise<void> {
    const to = sameTree(newDir);
    await this.ns.fsl.rename(this.#child(oldName), to.#child(newName), ctx);
  }

  override async rename(dir: Node, name: string, ctx: OpCtx): Promise<Node> {
    if (this.parent === undefined) throw new ErrnoError(Errno.EBUSY, "the attach root");
    const to = sameTree(dir);
    await this.ns.fsl.rename(joinPath(this.elems), to.#child(name), ctx);
    return new NsNode(this.ns, [...to.elems, name], false, to, this.qid);
  }

  override async setattr(a: SetAttr, ctx: OpCtx): Promise<void> {
    // sigmap keeps no mode or owner that a client could change (spec 4.5: Stat's mode is always
    // 0777 and the owner is the creator's name), so chmod and chown are refused, not faked.
    if ((a.valid & (SETATTR.MODE | SETATTR.UID | SETATTR.GID)) !== 0) {
      throw new ErrnoError(Errno.EPERM, "mode and owner are not stored");
    }
    if ((a.valid & SETATTR.SIZE) !== 0) await this.#truncate(a.size, ctx);
    // Times: the server sets mtime on every change and keeps no atime or ctime; a request to set
    // them is accepted and has no effect (documented in docs/9p.md).
  }

  async #truncate(size: bigint, ctx: OpCtx): Promise<void> {
    const fsl = this.ns.fsl;
    const path = this.path;
    if (size === 0n) {
      await fsl.close(await fsl.open(path, Mode.OWRITE | Mode.OTRUNC, ctx), ctx);
      return;
    }
    const len = (await fsl.stat(path, ctx)).length;
    if (size === len) return;
    if (size > BigInt(Number.MAX_SAFE_INTEGER)) throw new ErrnoError(Errno.EFBIG, path);
    const fd = await fsl.open(path, Mode.ORDWR, ctx);
    try {
      if (size > len) {
        // Writing past the end zero-fills the gap (spec deviation 12): one zero byte at size-1.
        await fsl.pwrite(fd, Number(size) - 1, new Uint8Array(1), ctx);
        return;
      }
      // No sigmap request shortens a file to a nonzero length: keep the prefix, truncate, write
      // it back. Not atomic, and bounded like every whole-file operation.
      if (size > BigInt(MAXGETSET)) throw new ErrnoError(Errno.EFBIG, path);
      const keep = await fsl.pread(fd, 0, Number(size), ctx);
      const tfd = await fsl.open(path, Mode.OWRITE | Mode.OTRUNC, ctx);
      try {
        await fsl.pwrite(tfd, 0, keep, ctx);
      } finally {
        await fsl.close(tfd).catch(() => undefined);
      }
    } finally {
      await fsl.close(fd).catch(() => undefined);
    }
  }
}

function sameTree(n: Node): NsNode {
  if (!(n instanceof NsNode)) throw new ErrnoError(Errno.EXDEV, "another tree");
  return n;
}

function checkName(name: string): void {
  if (name === "" || name === "." || name === ".." || name.includes("/")) {
    throw new ErrnoError(Errno.EINVAL, `bad name ${JSON.stringify(name)}`);
  }
}

/** Linux open flags → sigmap mode: the access mode and O_TRUNC; the rest is the client's. */
export function sigmapMode(flags: number): number {
  const acc = flags & O.ACCMODE;
  const mode = acc === O.WRONLY ? Mode.OWRITE : acc === O.RDWR ? Mode.ORDWR : Mode.OREAD;
  return (flags & O.TRUNC) !== 0 ? mode | Mode.OTRUNC : mode;
}

/** An open file: an FsLib fd, read and written positionally. */
class NsFile extends OpenFile {
  constructor(
    readonly fsl: FsLib,
    readonly fd: number,
    qid: Qid,
  ) {
    super(qid);
  }

  override read(off: bigint, count: number, ctx: OpCtx): Promise<Uint8Array> {
    return this.fsl.pread(this.fd, offset(off), count, ctx);
  }

  override write(off: bigint, data: Uint8Array, ctx: OpCtx): Promise<number> {
    return this.fsl.pwrite(this.fd, offset(off), data, ctx);
  }

  override close(): Promise<void> {
    return this.fsl.close(this.fd);
  }
}

function offset(off: bigint): number {
  if (off > BigInt(Number.MAX_SAFE_INTEGER)) throw new ErrnoError(Errno.EINVAL, "offset");
  return Number(off);
}

/** An open directory: each listing is a fresh FsLib `dirEntries` stream. */
class NsDir extends OpenDir {
  constructor(
    readonly node: NsNode,
    qid: Qid,
  ) {
    super(qid);
  }

  override list(): Promise<DirStream> {
    const { ns, path } = this.node;
    // No signal for the stream: directory reads never block, and a listing outlives the request
    // that started it.
    const it = ns.fsl.dirEntries(path)[Symbol.asyncIterator]();
    const server = this.node.qid.path >> PATH_BITS;
    return Promise.resolve({
      next: async () => {
        const r = await it.next();
        if (r.done === true) return undefined;
        const st = r.value;
        const qid = mixQid(st.qid.type, st.qid.version, st.qid.path, server);
        return { name: st.name, qid, dtype: dtypeOf(qid) } satisfies DirEntry;
      },
      close: async () => {
        await it.return?.();
      },
    });
  }
}

function dtypeOf(q: Qid): number {
  if ((q.type & QT.DIR) !== 0) return DT.DIR;
  if ((q.type & QT.SYMLINK) !== 0) return DT.LNK;
  return DT.REG;
}
