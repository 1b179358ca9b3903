/** Tgetfile (spec 4.11): walk, open, read and close in one request, without version checks. */
import { ErrCode, MAXGETSET, type Rread, type Tgetfile } from "../../generated/sigmap/types.js";
import { SigmaError } from "../errors/index.js";
import { readObj } from "./io.js";
import { lastName } from "./names.js";
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
  const r = await walkAll(c.server, f.obj, f.path, req.wnames);
  const name = lastName(r.path);
  if (req.resolve && r.obj.kind === "symlink") throw new SigmaError(ErrCode.NotDir, name);
  if (r.obj.kind === "dir") throw new SigmaError(ErrCode.NotFile, name);
  const opened = await openObj(r.obj, req.mode, c.wait);
  try {
    return { data: await readObj(opened, req.offset, req.count, c.wait) };
  } finally {
    await closeObj(opened, req.mode, c.wait);
  }
}
