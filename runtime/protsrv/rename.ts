/**
 * Twstat rename and Trenameat (spec 4.10). Locks are taken in the path order (path-locks.ts), not
 * in object-id order, so they agree with every other lock holder. Wake-ups per spec 4.7: the new
 * path, the old path and each directory involved.
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
import { checkEntryName, lastName } from "./names.js";
import { currentPath, dirView, type Call, type ServerState } from "./server-state.js";

export async function wstat(c: Call, req: Twstat): Promise<Rwstat> {
  const f = c.session.fids.get(req.fid);
  const newName = req.stat.name;
  if (newName === "") return {};
  checkEntryName(newName);
  if (f.obj.id === c.server.root.id) {
    throw new SigmaError(ErrCode.Inval, ".", "invalid argument: rename the root");
  }
  const meta = await f.obj.meta();
  const dirPath = meta.parent === undefined ? undefined : await currentPath(c.server, meta.parent);
  if (!meta.linked || meta.parent === undefined || dirPath === undefined) {
    throw new SigmaError(ErrCode.Notfound, meta.name);
  }
  await move(c.server, {
    oldDir: meta.parent,
    oldDirPath: dirPath,
    oldName: meta.name,
    newDir: meta.parent,
    newDirPath: dirPath,
    newName,
    expect: f.obj,
  });
  return {};
}

export async function renameat(c: Call, req: Trenameat): Promise<Rrenameat> {
  const oldFid = c.session.fids.get(req.oldFid);
  const newFid = c.session.fids.get(req.newFid);
  if (oldFid.obj.kind !== "dir") throw new SigmaError(ErrCode.NotDir, lastName(oldFid.path));
  if (newFid.obj.kind !== "dir") throw new SigmaError(ErrCode.NotDir, lastName(newFid.path));
  if (oldFid.obj.id === newFid.obj.id) {
    throw new SigmaError(
      ErrCode.Inval,
      req.oldName,
      "invalid argument: renameat within one directory",
    );
  }
  checkEntryName(req.oldName);
  checkEntryName(req.newName);
  const oldDirPath = await currentPath(c.server, oldFid.obj);
  const newDirPath = await currentPath(c.server, newFid.obj);
  if (oldDirPath === undefined) throw new SigmaError(ErrCode.Notfound, lastName(oldFid.path));
  if (newDirPath === undefined) throw new SigmaError(ErrCode.Notfound, lastName(newFid.path));
  await move(c.server, {
    oldDir: oldFid.obj,
    oldDirPath,
    oldName: req.oldName,
    newDir: newFid.obj,
    newDirPath,
    newName: req.newName,
  });
  return {};
}

interface Move {
  oldDir: Dir;
  oldDirPath: string[];
  oldName: string;
  newDir: Dir;
  newDirPath: string[];
  newName: string;
  expect?: FsObj;
}

async function move(server: ServerState, m: Move): Promise<void> {
  const oldDir = dirView(server, m.oldDir);
  const newDir = dirView(server, m.newDir);
  const oldPath = [...m.oldDirPath, m.oldName];
  const newPath = [...m.newDirPath, m.newName];
  // The store sees the root's own directory; overlay names are guarded here for every target.
  if (newDir === server.root && server.root.isOverlayName(m.newName)) {
    throw new SigmaError(ErrCode.Exists, m.newName);
  }
  const held = await server.locks.lockAll([m.oldDirPath, m.newDirPath, oldPath, newPath]);
  try {
    const r = await oldDir.rename(m.oldName, newDir, m.newName, m.expect);
    if (r.replaced !== undefined) server.sessions.dropEphemeral(r.replaced);
    server.locks.wake(newPath);
    server.locks.wake(oldPath);
    server.locks.wake(m.oldDirPath);
    if (newDir !== oldDir) server.locks.wake(m.newDirPath);
  } finally {
    held.release();
  }
}
