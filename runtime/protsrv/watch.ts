/**
 * Twatch (spec 4.7): under the lock of the fid's object, Version at once if the object moved since
 * the fid recorded its qid (this closes the race between walk and watch, since every wake-up also
 * moves the watched object's version); otherwise wait for a wake-up of that object, or SessClosed.
 */
import { ErrCode, type Rwatch, type Twatch } from "../../generated/sigmap/types.js";
import { SigmaError } from "../errors/index.js";
import { MAY_READ, need } from "./access.js";
import { dirView, type Call } from "./server-state.js";

export async function watch(c: Call, req: Twatch): Promise<Rwatch> {
  const f = c.session.fids.get(req.fid);
  const obj = f.obj.kind === "dir" ? dirView(c.server, f.obj) : f.obj;
  if (c.ctx.principal !== null) await need(c.ctx.principal, obj, MAY_READ, f.name);
  const locks = c.server.locks;
  const held = locks.tryLock(obj) ?? (await locks.lock(obj));
  let woken: Promise<void>;
  try {
    const current = (await obj.meta()).version;
    if (current !== f.qid.version) throw new SigmaError(ErrCode.Version, String(current));
    woken = locks.waitOn(obj, c.wait);
  } finally {
    held.release();
  }
  await woken;
  return {};
}
