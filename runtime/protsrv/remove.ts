/**
 * Removing entries (spec 4.10): under the directory's and the name's path locks, with versions
 * moved by the store, watches on the object's path and its directory woken, and the object dropped
 * from every ephemeral set. Tremove and Tremovefile.
 */
import {
  ErrCode,
  type Rremove,
  type Tremove,
  type Tremovefile,
} from "../../generated/sigmap/types.js";
import { SigmaError } from "../errors/index.js";
import type { Dir, FsObj } from "../fs/index.js";
import { lastName } from "./names.js";
import { currentPath, dirView, type Call, type ServerState } from "./server-state.js";
import { walkAll } from "./walk.js";

export interface RemoveOptions {
  /** Remove only if the entry is this object (removal by identity, deviation 4). */
  expect?: FsObj;
  /** A final symlink is NotDir(name): the client resolves it and retries. */
  resolve?: boolean;
}

export async function removeEntry(
  server: ServerState,
  dir: Dir,
  dirPath: readonly string[],
  name: string,
  opts: RemoveOptions = {},
): Promise<FsObj> {
  if (name === "." || name === "")
    throw new SigmaError(ErrCode.Inval, name, `invalid argument: remove "${name}"`);
  const view = dirView(server, dir);
  const path = [...dirPath, name];
  const locks = [dirPath, path];
  const held = server.locks.tryLockAll(locks) ?? (await server.locks.lockAll(locks));
  try {
    if (opts.resolve === true) {
      const found = await view.lookup(name);
      if (found?.kind === "symlink") throw new SigmaError(ErrCode.NotDir, name);
    }
    const obj = await view.remove(name, opts.expect);
    server.sessions.dropEphemeral(obj);
    server.locks.wake(path);
    server.locks.wake(dirPath);
    return obj;
  } finally {
    held.release();
  }
}

/** Removes `obj` from wherever it is linked now; Notfound if it is not linked any more. */
export async function removeObject(server: ServerState, obj: FsObj): Promise<void> {
  const meta = await obj.meta();
  if (obj.id === server.root.id)
    throw new SigmaError(ErrCode.Inval, ".", "invalid argument: remove the root");
  const dirPath = meta.parent === undefined ? undefined : await currentPath(server, meta.parent);
  if (!meta.linked || meta.parent === undefined || dirPath === undefined) {
    throw new SigmaError(ErrCode.Notfound, meta.name);
  }
  await removeEntry(server, meta.parent, dirPath, meta.name, { expect: obj });
}

export async function remove(c: Call, req: Tremove): Promise<Rremove> {
  const f = c.session.fids.get(req.fid);
  await removeObject(c.server, f.obj);
  return {};
}

export async function removefile(c: Call, req: Tremovefile): Promise<Rremove> {
  const f = c.session.fids.get(req.fid);
  const name = req.wnames[req.wnames.length - 1];
  if (name === undefined) {
    if (req.resolve && f.obj.kind === "symlink")
      throw new SigmaError(ErrCode.NotDir, lastName(f.path));
    await removeObject(c.server, f.obj);
    return {};
  }
  const parent = await walkAll(c.server, f.obj, f.path, req.wnames.slice(0, -1), {
    qids: false,
  });
  if (parent.obj.kind !== "dir") throw new SigmaError(ErrCode.NotDir, lastName(parent.path));
  const dirPath = (await currentPath(c.server, parent.obj)) ?? parent.path;
  await removeEntry(c.server, parent.obj, dirPath, name, { resolve: req.resolve });
  return {};
}
