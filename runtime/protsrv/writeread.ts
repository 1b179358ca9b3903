/** Twriteread (spec 4.11): an RPC over a device file; the request in data, the reply in Rread's. */
import { ErrCode, type Rread, type Twriteread } from "../../generated/sigmap/types.js";
import { SigmaError } from "../errors/index.js";
import { MAY_WRITE, need } from "./access.js";
import type { Call } from "./server-state.js";

export async function writeread(c: Call, req: Twriteread): Promise<Rread> {
  const f = c.session.fids.get(req.fid);
  if (f.obj.kind !== "device" || !f.obj.rpc) {
    const name = f.name;
    throw new SigmaError(
      ErrCode.NotSupported,
      name,
      `not supported: writeread on ${name}, not an RPC device`,
    );
  }
  if (c.ctx.principal !== null) await need(c.ctx.principal, f.obj, MAY_WRITE, f.name);
  return { data: await f.obj.writeRead(req.data, c.wait) };
}
