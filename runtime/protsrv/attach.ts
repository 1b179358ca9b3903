/** Tattach (spec 4.4): a fid at the overlay root, or at aname walked from it. */
import type { Rattach, Tattach } from "../../generated/sigmap/types.js";
import { splitPath } from "../fs/index.js";
import { attachUser } from "./access.js";
import { qidOf } from "./qid-stat.js";
import type { Call } from "./server-state.js";
import { walkAll } from "./walk.js";

export async function attach(c: Call, req: Tattach): Promise<Rattach> {
  c.session.fids.checkFree(req.fid);
  const uname = attachUser(c, req.uname);
  const names = splitPath(req.aname);
  const r = await walkAll(c.server, c.server.root, "", names, { who: c.ctx.principal });
  const qid = r.qids[r.qids.length - 1] ?? (await qidOf(r.obj));
  c.session.fids.checkFree(req.fid);
  c.session.fids.set(req.fid, {
    obj: r.obj,
    name: r.name,
    uname,
    open: false,
    mode: 0,
    qid,
    cursor: undefined,
  });
  return { qid };
}
