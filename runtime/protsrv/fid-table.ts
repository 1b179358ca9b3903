/** A session's fids (spec 4.1): each names an object, its server-side path and its cursor. */
import { ErrCode, type Tqid } from "../../generated/sigmap/types.js";
import { SigmaError } from "../errors/index.js";
import type { FsObj } from "../fs/index.js";
import type { DirCursor } from "./dir-read.js";

export interface Fid {
  obj: FsObj;
  /** The path walked to reach it, from the server root. */
  path: string[];
  /** Recorded as owner of what this fid creates (no permission checks, spec 4.1). */
  uname: string;
  open: boolean;
  mode: number;
  /** The qid recorded at attach, walk, open or create; watches compare its version. */
  qid: Tqid;
  cursor: DirCursor | undefined;
}

export class FidTable {
  readonly #fids = new Map<number, Fid>();

  get size(): number {
    return this.#fids.size;
  }

  get(fid: number): Fid {
    const f = this.#fids.get(fid);
    if (f === undefined) throw new SigmaError(ErrCode.Unknownfid, String(fid));
    return f;
  }

  has(fid: number): boolean {
    return this.#fids.has(fid);
  }

  /** Dupfid if taken. */
  checkFree(fid: number): void {
    if (this.#fids.has(fid)) throw new SigmaError(ErrCode.Dupfid, String(fid));
  }

  set(fid: number, f: Fid): void {
    this.#fids.set(fid, f);
  }

  delete(fid: number): Fid | undefined {
    const f = this.#fids.get(fid);
    this.#fids.delete(fid);
    return f;
  }

  /** Empties the table, returning what it held (session end). */
  drain(): Fid[] {
    const all = [...this.#fids.values()];
    this.#fids.clear();
    return all;
  }
}

/** A copy that shares the object but not the cursor. */
export function cloneFid(f: Fid): Fid {
  return { ...f, path: [...f.path], open: false, mode: 0, cursor: undefined };
}
