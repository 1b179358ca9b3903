/** Twalk (spec 4.4): clone, full walk, or a partial walk ending at a special element. */
import type { Rwalk, Twalk } from "../../generated/sigmap/types.js";
import { cloneFid } from "./fid-table.js";
import type { Call } from "./server-state.js";
import { walk } from "./walk.js";

export async function walkRequest(c: Call, req: Twalk): Promise<Rwalk> {
  const fids = c.session.fids;
  const f = fids.get(req.fid);
  // 9P lets a walk replace its own fid; any other fid in use is Dupfid.
  if (req.newFid !== req.fid) fids.checkFree(req.newFid);
  if (req.wnames.length === 0 || f.obj.kind !== "dir") {
    fids.set(req.newFid, cloneFid(f));
    return { qids: [] };
  }
  const r = await walk(c.server, f.obj, f.name, req.wnames, { who: c.ctx.principal });
  if (req.newFid !== req.fid) fids.checkFree(req.newFid);
  const last = r.qids[r.qids.length - 1];
  fids.set(req.newFid, {
    ...cloneFid(f),
    obj: r.obj,
    name: r.name,
    qid: last ?? f.qid,
  });
  return { qids: r.qids };
}
