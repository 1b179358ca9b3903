/**
 * Creating an entry under path locks (spec 4.6, 4.11), with OWATCH's create-or-block, and the
 * Tcreate request.
 */
import { ErrCode, Mode, Perm, type Rcreate, type Tcreate } from "../../generated/sigmap/types.js";
import { SigmaError } from "../errors/index.js";
import type { Dir, FsObj } from "../fs/index.js";
import type { Principal } from "../auth/index.js";
import { MAY_WRITE, need } from "./access.js";
import { checkEntryName } from "./names.js";
import { qidOf } from "./qid-stat.js";
import { removeObject } from "./remove.js";
import { dirView, type Call } from "./server-state.js";

export interface CreateRequest {
  dir: Dir;
  name: string;
  perm: number;
  mode: number;
  owner: string;
  /** Who creates: w on the directory to create, and what opening needs to open an existing one. */
  who: Principal | null;
  content?: Uint8Array;
  contentOffset?: bigint;
  /** What an existing name means without OWATCH: Tcreate and OEXCL fail, Tputfile opens it. */
  existing: "fail" | "open";
}

export interface CreateResult {
  obj: FsObj;
  created: boolean;
}

/**
 * Creates `name` in `dir`, or (per `existing`) returns the object already there, under the
 * directory's lock. With OWATCH an existing name makes the request wait on the directory's watch
 * and retry until it can create, or its session closes (SessClosed). A successful create wakes
 * the directory's watch.
 */
export async function createEntry(c: Call, r: CreateRequest): Promise<CreateResult> {
  checkEntryName(r.name);
  const dir = dirView(c.server, r.dir);
  const locks = c.server.locks;
  for (;;) {
    const held = locks.tryLock(dir) ?? (await locks.lock(dir));
    try {
      // A removed directory takes no entries (its ancestors are linked while it is: only an
      // empty directory can be removed or replaced).
      const meta = await dir.meta();
      if (!meta.linked) throw new SigmaError(ErrCode.Notfound, meta.name);
      const found = await dir.lookup(r.name);
      if (found === undefined) {
        if (r.who !== null) await need(r.who, dir, MAY_WRITE, r.name);
        const obj = await dir.create(r.name, r.perm, {
          owner: r.owner,
          content: r.content,
          contentOffset: r.contentOffset,
          session: c.session.id,
        });
        locks.wake(dir);
        return { obj, created: true };
      }
      if ((r.mode & Mode.OWATCH) === 0) {
        if (r.existing === "fail") throw new SigmaError(ErrCode.Exists, r.name);
        // Only Tputfile opens an existing entry, and it writes.
        if (r.who !== null) await need(r.who, found, MAY_WRITE, r.name);
        return { obj: found, created: false };
      }
      const woken = locks.waitOn(dir, c.wait);
      held.release();
      await woken;
    } finally {
      held.release();
    }
  }
}

export async function create(c: Call, req: Tcreate): Promise<Rcreate> {
  const f = c.session.fids.get(req.fid);
  if (f.obj.kind !== "dir") throw new SigmaError(ErrCode.NotDir, f.name);
  const { obj } = await createEntry(c, {
    dir: f.obj,
    name: req.name,
    perm: req.perm,
    mode: req.mode,
    owner: f.uname,
    who: c.ctx.principal,
    existing: "fail",
  });
  if ((req.perm & Perm.DMTMP) !== 0) joinEphemeral(c, obj);
  // The creator's open counts one side of a new pipe, without waiting for the other (ORDWR, as
  // makePipe uses, counts none, so its close leaves the counts alone).
  const access = req.mode & 3;
  if (obj.kind === "pipe" && (access === Mode.OREAD || access === Mode.OWRITE)) {
    await obj.open(req.mode, c.wait, false);
  }
  c.session.fids.retarget(req.fid, f, obj);
  f.name = req.name;
  f.open = true;
  f.mode = req.mode;
  f.cursor = undefined;
  f.qid = await qidOf(obj);
  return { qid: f.qid, iounit: 0 };
}

/**
 * Adds `obj` to the session's ephemeral set (spec 4.8). If the session ended while the request
 * ran, its cleanup has passed already, so the object goes now.
 */
export function joinEphemeral(c: Call, obj: FsObj): void {
  if (!c.session.closed) {
    c.server.sessions.addEphemeral(c.session, obj);
    return;
  }
  void removeObject(c.server, obj).catch(() => undefined);
}
