/**
 * The hooks generated FsLib methods call (runtime/contract/fs-methods.ts), over the core's
 * layers: each sends one request through FidClient.request, which takes the fence rule from the
 * message's descriptor.
 */
import { ErrCode } from "../../../generated/sigmap/types.js";
import type { RequestDesc } from "../../contract/index.js";
import { SigmaError } from "../../errors/index.js";
import type { Limits } from "../call-limits.js";
import { parsePath } from "../split-path.js";
import { type CoreLayers, withFid } from "./core-layers.js";

/** `@fslib(path)`: resolves `path` to a fid, sends `body(fid)` on it, clunks it. */
export function requestAtPath<Req, Rep>(
  l: CoreLayers,
  desc: RequestDesc<Req, Rep>,
  path: string,
  body: (fid: number) => Req,
  lim: Limits,
): Promise<Rep> {
  const { elems, resolveLast } = parsePath(path);
  return withFid(l, elems, resolveLast, lim, (fid, lm) => {
    const st = l.fids.state(fid);
    return l.fids.request(desc, st, st.path, body(fid), lm);
  });
}

/** `@fslib(fid)`: `body` on the session of a fid the caller holds. */
export async function requestOnFid<Req, Rep>(
  l: CoreLayers,
  desc: RequestDesc<Req, Rep>,
  fid: number,
  body: Req,
  lim: Limits,
): Promise<Rep> {
  const st = l.fids.state(fid);
  return l.fids.request(desc, st, st.path, body, lim);
}

/** `@fslib(none)`: a message naming no object goes to named. */
export async function requestNamed<Req, Rep>(
  l: CoreLayers,
  desc: RequestDesc<Req, Rep>,
  body: Req,
  lim: Limits,
): Promise<Rep> {
  // The message names no object; named's mount fid only carries the session (busy meanwhile).
  const m = l.paths.mounts.exact(["name"]);
  if (m === undefined) throw new SigmaError(ErrCode.Unreachable, "name", "no mount: name");
  const st = l.fids.state(l.paths.fidOf(m));
  return l.fids.request(desc, st, st.path, body, lim);
}
