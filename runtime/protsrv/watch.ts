/**
 * Twatch (spec 4.7): under the fid path's lock, Version at once if the object moved since the fid
 * recorded its qid (this closes the race between walk and watch, since every wake-up also moves
 * the watched object's version); otherwise wait for a wake-up of that path, or SessClosed.
 */
import { ErrCode, type Rwatch, type Twatch } from "../../generated/sigmap/types.js";
import { SigmaError } from "../errors/index.js";
import type { Call } from "./server-state.js";

export async function watch(c: Call, req: Twatch): Promise<Rwatch> {
  const f = c.session.fids.get(req.fid);
  const held = await c.server.locks.lock(f.path);
  let woken: Promise<void>;
  try {
    const current = (await f.obj.meta()).version;
    if (current !== f.qid.version) throw new SigmaError(ErrCode.Version, String(current));
    woken = c.server.locks.waitOn(f.path, c.wait);
  } finally {
    held.release();
  }
  await woken;
  return {};
}
