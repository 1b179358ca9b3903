/**
 * The aname `ctl`: the small synthetic tree diod's tools expect (diodload reads `zero` and writes
 * `null`, getattrs `null`; dioddate reads `date`). It lives in the gateway itself, as diod's ctl
 * tree lives in diod: no FsLib session is opened for it.
 */
import type { Qid } from "./codec.js";
import { Errno, ErrnoError } from "./errno.js";
import { QT } from "./messages.js";
import {
  type Attr,
  baseAttr,
  type DirEntry,
  DT,
  Node,
  O,
  OpenDir,
  OpenFile,
  S_IF,
} from "./tree.js";

const ROOT_QID: Qid = { type: QT.DIR, version: 0, path: 1n };

interface CtlFile {
  readonly qid: Qid;
  readonly mode: number;
  open(): OpenFile;
}

/** The root of a ctl tree; `startSec` is the time every ctl file reports. */
export function ctlRoot(startSec: bigint): Node {
  const files = new Map<string, CtlFile>([
    ["date", { qid: fileQid(2n), mode: 0o444, open: () => new TextFile(fileQid(2n), dateText()) }],
    ["null", { qid: fileQid(3n), mode: 0o666, open: () => new NullFile(fileQid(3n)) }],
    ["zero", { qid: fileQid(4n), mode: 0o444, open: () => new ZeroFile(fileQid(4n)) }],
  ]);
  return new CtlDir(files, startSec);
}

function fileQid(path: bigint): Qid {
  return { type: QT.FILE, version: 0, path };
}

class CtlDir extends Node {
  constructor(
    readonly files: ReadonlyMap<string, CtlFile>,
    readonly sec: bigint,
  ) {
    super(ROOT_QID);
  }

  walk(name: string): Promise<Node> {
    if (name === "." || name === "..") return Promise.resolve(this);
    const f = this.files.get(name);
    if (f === undefined) return Promise.reject(new ErrnoError(Errno.ENOENT, name));
    return Promise.resolve(new CtlLeaf(f, this));
  }

  getattr(): Promise<Attr> {
    return Promise.resolve(baseAttr(this.qid, S_IF.DIR | 0o555, 0n, this.sec));
  }

  open(flags: number): Promise<OpenFile> {
    if ((flags & O.ACCMODE) !== O.RDONLY) return Promise.reject(new ErrnoError(Errno.EISDIR, ""));
    const entries: DirEntry[] = [...this.files].map(([name, f]) => ({
      name,
      qid: f.qid,
      dtype: DT.REG,
    }));
    return Promise.resolve(new ListFile(this.qid, entries));
  }
}

class CtlLeaf extends Node {
  constructor(
    readonly file: CtlFile,
    readonly dir: CtlDir,
  ) {
    super(file.qid);
  }

  walk(name: string): Promise<Node> {
    return Promise.reject(new ErrnoError(Errno.ENOTDIR, name));
  }

  getattr(): Promise<Attr> {
    return Promise.resolve(baseAttr(this.qid, S_IF.REG | this.file.mode, 0n, this.dir.sec));
  }

  open(flags: number): Promise<OpenFile> {
    const acc = flags & O.ACCMODE;
    if (acc !== O.RDONLY && (this.file.mode & 0o222) === 0) {
      return Promise.reject(new ErrnoError(Errno.EACCES, "read-only ctl file"));
    }
    return Promise.resolve(this.file.open());
  }
}

/** Any number of zero bytes at any offset; iounit bounds the count. */
class ZeroFile extends OpenFile {
  static #zeros = Buffer.alloc(0);
  override read(_off: bigint, count: number): Promise<Uint8Array> {
    if (ZeroFile.#zeros.length < count) ZeroFile.#zeros = Buffer.alloc(count);
    return Promise.resolve(ZeroFile.#zeros.subarray(0, count));
  }
}

/** Reads end at once; writes are accepted and dropped. */
class NullFile extends OpenFile {
  override read(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(0));
  }
  override write(_off: bigint, data: Uint8Array): Promise<number> {
    return Promise.resolve(data.length);
  }
}

/** A text fixed at open, so successive reads of one open see one consistent value. */
class TextFile extends OpenFile {
  readonly bytes: Buffer;
  constructor(qid: Qid, text: string) {
    super(qid);
    this.bytes = Buffer.from(text, "utf8");
  }
  override read(off: bigint, count: number): Promise<Uint8Array> {
    const start = off > BigInt(this.bytes.length) ? this.bytes.length : Number(off);
    return Promise.resolve(this.bytes.subarray(start, start + count));
  }
}

/** A fixed listing (the ctl root). */
class ListFile extends OpenDir {
  constructor(
    qid: Qid,
    readonly entries: readonly DirEntry[],
  ) {
    super(qid);
  }
  override list(): Promise<{ next(): Promise<DirEntry | undefined>; close(): Promise<void> }> {
    let i = 0;
    const entries = this.entries;
    return Promise.resolve({
      next: () => Promise.resolve(entries[i++]),
      close: () => Promise.resolve(),
    });
  }
}

/** dioddate's format: `SEC.USEC MINUTESWEST.DST` (gettimeofday's timeval and timezone). */
function dateText(): string {
  const ms = Date.now();
  const sec = Math.floor(ms / 1000);
  const usec = (ms % 1000) * 1000;
  const minutesWest = new Date(ms).getTimezoneOffset();
  return `${sec}.${String(usec).padStart(6, "0")} ${minutesWest}.0\n`;
}
