/**
 * Removing entries (spec 4.10): under the locks of the directory and of the object removed, with
 * versions moved by the store, watches on the object and its directory woken, and the object
 * dropped from every ephemeral set. Tremove and Tremovefile.
 */
import {
  ErrCode,
  type Rremove,
  type Tremove,
  type Tremovefile,
} from "../../generated/sigmap/types.js";
import { SigmaError } from "../errors/index.js";
import type { Principal } from "../auth/index.js";
import type { Dir, FsObj } from "../fs/index.js";
import { mayRemoveFrom } from "./access.js";
import { dirView, type Call, type ServerState } from "./server-state.js";
import { walkAll } from "./walk.js";

export interface RemoveOptions {
  /** Remove only if the entry is this object (removal by identity, deviation 4). */
  expect?: FsObj;
  /** A final symlink is NotDir(name): the client resolves it and retries. */
  resolve?: boolean;
  /** Who removes (access.ts mayRemoveFrom); null or absent: the server itself. */
  who?: Principal | null;
}

export async function removeEntry(
  server: ServerState,
  dir: Dir,
  name: string,
  opts: RemoveOptions = {},
): Promise<FsObj> {
  if (name === "." || name === "")
    throw new SigmaError(ErrCode.Inval, name, `invalid argument: remove "${name}"`);
  const view = dirView(server, dir);
  const locks = server.locks;
  for (;;) {
    // The object is looked up first, to be locked with its directory in id order; if another
    // request replaced it before the locks were granted, look again.
    const target = await view.lookup(name);
    if (target === undefined || (opts.expect !== undefined && target !== opts.expect)) {
      throw new SigmaError(ErrCode.Notfound, name);
    }
    const held = locks.tryLock(view, target) ?? (await locks.lock(view, target));
    try {
      if ((await view.lookup(name)) !== target) continue;
      if (opts.resolve === true && target.kind === "symlink") {
        throw new SigmaError(ErrCode.NotDir, name);
      }
      if (opts.who != null) await mayRemoveFrom(opts.who, view, target, name);
      const obj = await view.remove(name, target);
      server.sessions.dropEphemeral(obj);
      server.sessions.refs.unlinked(obj);
      locks.wake(obj);
      locks.wake(view);
      return obj;
    } finally {
      held.release();
    }
  }
}

/** Removes `obj` from wherever it is linked now; Notfound if it is not linked any more. */
export async function removeObject(
  server: ServerState,
  obj: FsObj,
  who: Principal | null = null,
): Promise<void> {
  if (obj.id === server.root.id)
    throw new SigmaError(ErrCode.Inval, ".", "invalid argument: remove the root");
  const meta = await obj.meta();
  if (!meta.linked || meta.parent === undefined) throw new SigmaError(ErrCode.Notfound, meta.name);
  await removeEntry(server, meta.parent, meta.name, { expect: obj, who });
}

export async function remove(c: Call, req: Tremove): Promise<Rremove> {
  const f = c.session.fids.get(req.fid);
  await removeObject(c.server, f.obj, c.ctx.principal);
  return {};
}

export async function removefile(c: Call, req: Tremovefile): Promise<Rremove> {
  const f = c.session.fids.get(req.fid);
  const name = req.wnames[req.wnames.length - 1];
  if (name === undefined) {
    if (req.resolve && f.obj.kind === "symlink") throw new SigmaError(ErrCode.NotDir, f.name);
    await removeObject(c.server, f.obj, c.ctx.principal);
    return {};
  }
  const parent = await walkAll(c.server, f.obj, f.name, req.wnames.slice(0, -1), {
    qids: false,
    who: c.ctx.principal,
  });
  if (parent.obj.kind !== "dir") throw new SigmaError(ErrCode.NotDir, parent.name);
  await removeEntry(c.server, parent.obj, name, { resolve: req.resolve, who: c.ctx.principal });
  return {};
}
