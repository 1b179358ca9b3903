/**
 * Twstat rename and Trenameat (spec 4.10). The moved object, the one it replaces and both
 * directories are locked together in object-id order (object-locks.ts). A target is replaced only
 * by an object of its own family (deviation 14, as POSIX rename): a directory replaces only an
 * empty directory (NotEmpty(target) for a non-empty one, NotDir(target) for a non-directory), a
 * non-directory only a non-directory (Isdir(target)). Wake-ups per spec 4.7: the moved object (its
 * old path), the replaced one (the new path) and each directory involved.
 */
import {
  ErrCode,
  type Rrenameat,
  type Rwstat,
  type Trenameat,
  type Twstat,
} from "../../generated/sigmap/types.js";
import { SigmaError } from "../errors/index.js";
import type { Dir, FsObj } from "../fs/index.js";
import type { Principal } from "../auth/index.js";
import { MAY_WRITE, mayRemoveFrom, need } from "./access.js";
import { checkEntryName } from "./names.js";
import { dirView, type Call, type ServerState } from "./server-state.js";

export async function wstat(c: Call, req: Twstat): Promise<Rwstat> {
  const f = c.session.fids.get(req.fid);
  const newName = req.stat.name;
  if (newName === "") return {};
  checkEntryName(newName);
  if (f.obj.id === c.server.root.id) {
    throw new SigmaError(ErrCode.Inval, ".", "invalid argument: rename the root");
  }
  const meta = await f.obj.meta();
  if (!meta.linked || meta.parent === undefined) throw new SigmaError(ErrCode.Notfound, meta.name);
  await move(c.server, {
    oldDir: meta.parent,
    oldName: meta.name,
    newDir: meta.parent,
    newName,
    expect: f.obj,
    who: c.ctx.principal,
  });
  return {};
}

export async function renameat(c: Call, req: Trenameat): Promise<Rrenameat> {
  const oldFid = c.session.fids.get(req.oldFid);
  const newFid = c.session.fids.get(req.newFid);
  if (oldFid.obj.kind !== "dir") throw new SigmaError(ErrCode.NotDir, oldFid.name);
  if (newFid.obj.kind !== "dir") throw new SigmaError(ErrCode.NotDir, newFid.name);
  if (oldFid.obj.id === newFid.obj.id) {
    throw new SigmaError(
      ErrCode.Inval,
      req.oldName,
      "invalid argument: renameat within one directory",
    );
  }
  checkEntryName(req.oldName);
  checkEntryName(req.newName);
  if (!(await oldFid.obj.meta()).linked) throw new SigmaError(ErrCode.Notfound, oldFid.name);
  if (!(await newFid.obj.meta()).linked) throw new SigmaError(ErrCode.Notfound, newFid.name);
  await move(c.server, {
    oldDir: oldFid.obj,
    oldName: req.oldName,
    newDir: newFid.obj,
    newName: req.newName,
    who: c.ctx.principal,
  });
  return {};
}

interface Move {
  oldDir: Dir;
  oldName: string;
  newDir: Dir;
  newName: string;
  expect?: FsObj;
  who: Principal | null;
}

async function move(server: ServerState, m: Move): Promise<void> {
  const oldDir = dirView(server, m.oldDir);
  const newDir = dirView(server, m.newDir);
  // The store sees the root's own directory; overlay names are guarded here for every target.
  if (newDir === server.root && server.root.isOverlayName(m.newName)) {
    throw new SigmaError(ErrCode.Exists, m.newName);
  }
  const locks = server.locks;
  for (;;) {
    // Both objects are looked up first, to be locked with the directories in id order; if
    // another request changed either name before the locks were granted, look again.
    const moved = await oldDir.lookup(m.oldName);
    if (moved === undefined || (m.expect !== undefined && moved !== m.expect)) {
      throw new SigmaError(ErrCode.Notfound, m.oldName);
    }
    const target = await newDir.lookup(m.newName);
    const objs = target === undefined ? [oldDir, newDir, moved] : [oldDir, newDir, moved, target];
    const held = locks.tryLock(...objs) ?? (await locks.lock(...objs));
    try {
      if ((await oldDir.lookup(m.oldName)) !== moved) continue;
      if ((await newDir.lookup(m.newName)) !== target) continue;
      if (target !== undefined && target !== moved) await checkReplace(moved, target, m.newName);
      if (m.who !== null) await mayMove(m.who, oldDir, moved, m, newDir, target);
      const r = await oldDir.rename(m.oldName, newDir, m.newName, moved);
      if (r.replaced !== undefined) {
        server.sessions.dropEphemeral(r.replaced);
        server.sessions.refs.unlinked(r.replaced);
      }
      locks.wake(r.replaced);
      locks.wake(moved);
      locks.wake(oldDir);
      if (newDir !== oldDir) locks.wake(newDir);
      return;
    } finally {
      held.release();
    }
  }
}

/** Deviation 14: only an object of the same family replaces a target. */
export async function checkReplace(moved: FsObj, target: FsObj, name: string): Promise<void> {
  if (moved.kind === "dir") {
    if (target.kind !== "dir") throw new SigmaError(ErrCode.NotDir, name);
    if ((await target.list(undefined, 1)).length > 0) throw new SigmaError(ErrCode.NotEmpty, name);
  } else if (target.kind === "dir") {
    throw new SigmaError(
      ErrCode.Isdir,
      name,
      `is a directory: ${name} cannot be replaced by a non-directory`,
    );
  }
}

/** Unlinking from the old directory, linking into the new one, and unlinking a replaced target. */
async function mayMove(
  who: Principal,
  oldDir: Dir,
  moved: FsObj,
  m: Move,
  newDir: Dir,
  target: FsObj | undefined,
): Promise<void> {
  await mayRemoveFrom(who, oldDir, moved, m.oldName);
  if (newDir !== oldDir) await need(who, newDir, MAY_WRITE, m.newName);
  if (target !== undefined && target !== moved) {
    await mayRemoveFrom(who, newDir, target, m.newName);
  }
}
