/** Opening and closing objects (spec 4.5), and the Topen and Tclunk requests. */
import {
  Mode,
  type Rclunk,
  type Ropen,
  type Tclunk,
  type Topen,
} from "../../generated/sigmap/types.js";
import { errorText } from "../errors/index.js";
import type { FsObj, WaitContext } from "../fs/index.js";
import { mayOpen } from "./access.js";
import { qidOf } from "./qid-stat.js";
import type { Call } from "./server-state.js";

/**
 * Opens `obj` with `mode`: pipes may block; a device may yield another object, which is returned;
 * a file or symlink is truncated on OTRUNC.
 */
export async function openObj(obj: FsObj, mode: number, wait: WaitContext): Promise<FsObj> {
  switch (obj.kind) {
    case "pipe":
      await obj.open(mode, wait);
      return obj;
    case "device":
      return (await obj.open(mode, wait)) ?? obj;
    case "file":
    case "symlink":
      if ((mode & Mode.OTRUNC) !== 0) await obj.truncate(0n);
      return obj;
    case "dir":
      return obj;
  }
}

export async function closeObj(obj: FsObj, mode: number, wait: WaitContext): Promise<void> {
  if (obj.kind === "pipe") await obj.close(mode);
  else if (obj.kind === "device") await obj.close(mode, wait);
}

export async function open(c: Call, req: Topen): Promise<Ropen> {
  const f = c.session.fids.get(req.fid);
  if (c.ctx.principal !== null) await mayOpen(c.ctx.principal, f.obj, req.mode, f.name);
  const opened = await openObj(f.obj, req.mode, c.wait);
  // A blocked open may finish after its fid was clunked (or its session ended): undo it then.
  if (!c.session.fids.has(req.fid) || c.session.fids.get(req.fid) !== f || c.session.closed) {
    await closeObj(opened, req.mode, c.wait);
    return { qid: await qidOf(opened), iounit: 0 };
  }
  if (f.open) await closeObj(f.obj, f.mode, c.wait);
  c.session.fids.retarget(req.fid, f, opened);
  f.open = true;
  f.mode = req.mode;
  f.cursor = undefined;
  f.qid = await qidOf(opened);
  return { qid: f.qid, iounit: 0 };
}

export async function clunk(c: Call, req: Tclunk): Promise<Rclunk> {
  const f = c.session.fids.get(req.fid);
  c.session.fids.delete(req.fid);
  if (f.open) {
    try {
      await closeObj(f.obj, f.mode, c.wait);
    } catch (e) {
      c.server.log("clunk %d: close failed: %s", req.fid, errorText(e));
    }
  }
  return {};
}
