/**
 * A session's fids (spec 4.1): each names an object, the name it was reached by and its cursor.
 * The table is capped per session and, through a shared budget, across the server
 * (`maxFidsPerSession`, `maxFids`): each fid costs about half a KiB, and a client that clones
 * without clunking must meet a clear error instead of growing the server without bound.
 */
import { ErrCode, type Tqid } from "../../generated/sigmap/types.js";
import { SigmaError } from "../errors/index.js";
import type { FsObj } from "../fs/index.js";
import type { DirCursor } from "./dir-read.js";
import type { ObjRefs } from "./obj-refs.js";

export interface Fid {
  obj: FsObj;
  /**
   * The last element of the path walked to reach it ("" at the server root), for errors. Only
   * the last name is kept: a fid's memory must not grow with the depth of the tree.
   */
  name: string;
  /** Recorded as owner of what this fid creates (no permission checks, spec 4.1). */
  uname: string;
  open: boolean;
  mode: number;
  /** The qid recorded at attach, walk, open or create; watches compare its version. */
  qid: Tqid;
  cursor: DirCursor | undefined;
}

/** Fids held by all sessions of a server, against its `maxFids`, and the objects they name. */
export class FidBudget {
  used = 0;
  readonly max: number;
  readonly refs: ObjRefs;

  constructor(max: number, refs: ObjRefs) {
    this.max = max;
    this.refs = refs;
  }
}

export class FidTable {
  readonly #fids = new Map<number, Fid>();
  readonly #max: number;
  readonly #budget: FidBudget;
  readonly #session: bigint;

  constructor(session: bigint, maxPerSession: number, budget: FidBudget) {
    this.#session = session;
    this.#max = maxPerSession;
    this.#budget = budget;
  }

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

  /** Dupfid if taken; Nomem if a new fid would pass a limit (checked before any work). */
  checkFree(fid: number): void {
    if (this.#fids.has(fid)) throw new SigmaError(ErrCode.Dupfid, String(fid));
    this.#checkRoom(fid);
  }

  /** Binds `fid` (replacing its binding, if any); Nomem if a new fid would pass a limit. */
  set(fid: number, f: Fid): void {
    const old = this.#fids.get(fid);
    if (old === undefined) {
      this.#checkRoom(fid);
      this.#budget.used++;
    }
    this.#fids.set(fid, f);
    this.#budget.refs.ref(f.obj);
    if (old !== undefined) this.#budget.refs.unref(old.obj);
  }

  /** Points `f`, bound to `fid`, at another object (create, an open that yields one). */
  retarget(fid: number, f: Fid, obj: FsObj): void {
    const old = f.obj;
    f.obj = obj;
    // A fid clunked while its request waited is in no table: it references nothing.
    if (this.#fids.get(fid) !== f) return;
    this.#budget.refs.ref(obj);
    this.#budget.refs.unref(old);
  }

  delete(fid: number): Fid | undefined {
    const f = this.#fids.get(fid);
    if (f !== undefined) {
      this.#fids.delete(fid);
      this.#budget.used--;
      this.#budget.refs.unref(f.obj);
    }
    return f;
  }

  /** Empties the table, returning what it held (session end). */
  drain(): Fid[] {
    const all = [...this.#fids.values()];
    this.#budget.used -= all.length;
    this.#fids.clear();
    for (const f of all) this.#budget.refs.unref(f.obj);
    return all;
  }

  #checkRoom(fid: number): void {
    if (this.#fids.size >= this.#max) {
      throw new SigmaError(
        ErrCode.Nomem,
        String(fid),
        `out of memory: session ${this.#session.toString(16)} holds maxFidsPerSession (${this.#max}) fids; clunk some`,
      );
    }
    if (this.#budget.used >= this.#budget.max) {
      throw new SigmaError(
        ErrCode.Nomem,
        String(fid),
        `out of memory: the server holds maxFids (${this.#budget.max}) fids over all sessions`,
      );
    }
  }
}

/** A copy that shares the object but not the cursor. */
export function cloneFid(f: Fid): Fid {
  return { ...f, open: false, mode: 0, cursor: undefined };
}
