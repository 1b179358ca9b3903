/** Tstat (spec 4.5, deviation 9). */
import type { Rstat, Tstat } from "../../generated/sigmap/types.js";
import { statOf } from "./qid-stat.js";
import type { Call } from "./server-state.js";

export async function stat(c: Call, req: Tstat): Promise<Rstat> {
  const f = c.session.fids.get(req.fid);
  return { stat: await statOf(f.obj) };
}
