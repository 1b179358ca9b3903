/**
 * Tputfile (spec 4.11, deviation 12): walk, create or open, write and close in one request. A
 * created file receives the data as its initial content, so it is at version 1 afterwards and only
 * its directory's version moved; an existing file's version moves once.
 */
import {
  ErrCode,
  MAXGETSET,
  Mode,
  NoOffset,
  Perm,
  type Rwrite,
  type Tputfile,
} from "../../generated/sigmap/types.js";
import { SigmaError } from "../errors/index.js";
import type { FsObj } from "../fs/index.js";
import { MAY_WRITE, need } from "./access.js";
import { createEntry, joinEphemeral } from "./create.js";
import { writeObj } from "./io.js";
import { closeObj, openObj } from "./open.js";
import type { Call } from "./server-state.js";
import { walkAll } from "./walk.js";

export async function putfile(c: Call, req: Tputfile): Promise<Rwrite> {
  checkPut(req);
  const f = c.session.fids.get(req.fid);
  const name = req.wnames[req.wnames.length - 1];
  let obj: FsObj = f.obj;
  let objName = f.name;
  if (name !== undefined) {
    const parent = await walkAll(c.server, f.obj, f.name, req.wnames.slice(0, -1), {
      qids: false,
      who: c.ctx.principal,
    });
    if (parent.obj.kind !== "dir") throw new SigmaError(ErrCode.NotDir, parent.name);
    const exclusive = (req.mode & Mode.OEXCL) !== 0;
    const r = await createEntry(c, {
      dir: parent.obj,
      name,
      perm: req.perm,
      mode: req.mode,
      owner: f.uname,
      who: c.ctx.principal,
      content: req.data,
      // A new file: the data at its offset (NoOffset appends to nothing), a hole before it.
      contentOffset: req.offset === NoOffset ? 0n : req.offset,
      existing: exclusive ? "fail" : "open",
    });
    if ((req.perm & Perm.DMTMP) !== 0) joinEphemeral(c, r.obj);
    if (r.created && (r.obj.kind === "file" || r.obj.kind === "symlink")) {
      return { count: req.data.length };
    }
    if (req.resolve && r.obj.kind === "symlink") throw new SigmaError(ErrCode.NotDir, name);
    obj = r.obj;
    objName = name;
  } else {
    if (c.ctx.principal !== null) await need(c.ctx.principal, obj, MAY_WRITE, objName);
    if ((req.perm & Perm.DMTMP) !== 0) joinEphemeral(c, obj);
  }
  if (obj.kind === "dir") throw new SigmaError(ErrCode.Isdir, objName);
  return { count: await writeOpened(c, obj, req) };
}

/** Opens without OTRUNC (truncation and write are one version move), writes, closes. */
async function writeOpened(c: Call, obj: FsObj, req: Tputfile): Promise<number> {
  const mode = req.mode & ~Mode.OTRUNC;
  const opened = await openObj(obj, mode, c.wait);
  try {
    const truncate = (req.mode & Mode.OTRUNC) !== 0;
    if (truncate && (opened.kind === "file" || opened.kind === "symlink")) {
      return await opened.replace(req.data);
    }
    return await writeObj(opened, req.offset, req.data, c.wait);
  } finally {
    await closeObj(opened, mode, c.wait);
  }
}

/** OAPPEND if and only if NoOffset; OTRUNC needs offset 0 and excludes OAPPEND; MAXGETSET. */
function checkPut(req: Tputfile): void {
  if (req.data.length > MAXGETSET) {
    throw new SigmaError(
      ErrCode.Inval,
      "too large",
      `invalid argument: ${req.data.length} bytes too large`,
    );
  }
  const append = (req.mode & Mode.OAPPEND) !== 0;
  const trunc = (req.mode & Mode.OTRUNC) !== 0;
  if (append !== (req.offset === NoOffset)) {
    throw new SigmaError(
      ErrCode.Inval,
      "offset",
      "invalid argument: OAPPEND goes with offset NoOffset",
    );
  }
  if (trunc && (append || req.offset !== 0n)) {
    throw new SigmaError(
      ErrCode.Inval,
      "offset",
      "invalid argument: OTRUNC needs offset 0 without OAPPEND",
    );
  }
}
