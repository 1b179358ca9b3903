/** Tgetfile (spec 4.11): walk, open, read and close in one request, without version checks. */
import {
  ErrCode,
  MAXGETSET,
  Mode,
  type Rread,
  type Tgetfile,
} from "../../generated/sigmap/types.js";
import { SigmaError } from "../errors/index.js";
import { mayOpen } from "./access.js";
import { readObj } from "./io.js";
import { maxReadCount } from "./limits.js";
import { closeObj, openObj } from "./open.js";
import type { Call } from "./server-state.js";
import { walkAll } from "./walk.js";

export async function getfile(c: Call, req: Tgetfile): Promise<Rread> {
  if (req.count > MAXGETSET) {
    throw new SigmaError(
      ErrCode.Inval,
      "too large",
      `invalid argument: count ${req.count} too large`,
    );
  }
  const f = c.session.fids.get(req.fid);
  // MAXGETSET fits any frame of the default size; a server with smaller frames clamps.
  const count = Math.min(req.count, maxReadCount(c.server.limits));
  const r = await walkAll(c.server, f.obj, f.name, req.wnames, {
    qids: false,
    who: c.ctx.principal,
  });
  const name = r.name;
  if (req.resolve && r.obj.kind === "symlink") throw new SigmaError(ErrCode.NotDir, name);
  if (r.obj.kind === "dir") throw new SigmaError(ErrCode.NotFile, name);
  if (c.ctx.principal !== null) await mayOpen(c.ctx.principal, r.obj, req.mode, name);
  if ((r.obj.kind === "file" || r.obj.kind === "symlink") && (req.mode & Mode.OTRUNC) === 0) {
    // Opening and closing such an object do nothing (spec 4.5): the common case, read directly.
    return { data: await r.obj.read(req.offset, count) };
  }
  const opened = await openObj(r.obj, req.mode, c.wait);
  try {
    return { data: await readObj(opened, req.offset, count, c.wait) };
  } finally {
    await closeObj(opened, req.mode, c.wait);
  }
}
