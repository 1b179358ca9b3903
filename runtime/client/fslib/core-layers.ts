/**
 * The state of FsLib's core as its operations see it: the layers it composes (fidclnt → pathclnt
 * → fdclnt) and the network mount records name. The core's operations are functions over this
 * (whole-files.ts, path-ops.ts, open-ops.ts, mounts.ts, sessions.ts, generated-hooks.ts), so the
 * class itself only holds state and names the public methods; none of them imports core.ts.
 */
import { ErrCode } from "../../../generated/sigmap/types.js";
import { SigmaError } from "../../errors/index.js";
import type { Limits } from "../call-limits.js";
import type { FdClient } from "../fd/fd-client.js";
import type { FidClient } from "../fid/fid-client.js";
import type { PathClient } from "../path/path-client.js";
import { splitLast, splitPath } from "../split-path.js";

export interface CoreLayers {
  readonly fids: FidClient;
  readonly paths: PathClient;
  readonly fds: FdClient;
  /** The network whose addresses are dialed first. */
  readonly net: string;
  /** The `net` of records this client writes for bare addresses: marked if it dials TLS. */
  readonly recordNet: string;
}

/** Walks to a fid, runs `f` on it and clunks it, whatever happens. */
export async function withFid<T>(
  l: CoreLayers,
  elems: readonly string[],
  resolveLast: boolean,
  lim: Limits,
  f: (fid: number, lim: Limits) => Promise<T>,
): Promise<T> {
  const fid = await l.paths.walk(elems, resolveLast, lim);
  try {
    return await f(fid, lim);
  } finally {
    await clunkQuietly(l.fids, fid);
  }
}

export async function clunkQuietly(fids: FidClient, fid: number): Promise<void> {
  try {
    await fids.clunk(fid);
  } catch {
    // The fid is released either way; a closed session has no fid to clunk.
  }
}

/** The parent's elements and the last name of `path`. Errors: Inval (an empty path). */
export function lastElem(path: string, elems = splitPath(path)): { dir: string[]; base: string } {
  if (elems.length === 0) throw new SigmaError(ErrCode.Inval, path, `invalid argument: empty path`);
  return splitLast(elems);
}

export function isSigmaErr(e: unknown, code: number): e is SigmaError {
  return e instanceof SigmaError && e.code === code;
}
