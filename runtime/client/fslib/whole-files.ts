/**
 * Whole-file operations of FsLib's core: one Tgetfile or Tputfile from the longest mount when
 * nothing special is in the way (FsLib's hot path: no walk, no clunk), else walk and fall back.
 */
import { ErrCode, MAXGETSET, Mode } from "../../../generated/sigmap/types.js";
import type { Limits } from "../call-limits.js";
import { isErrUnreachable, isMaybeSpecialElem } from "../errors.js";
import { parsePath } from "../split-path.js";
import { type CoreLayers, isSigmaErr, lastElem, withFid } from "./core-layers.js";

/** FsLibCore.getFile. */
export async function getWholeFile(l: CoreLayers, path: string, lim: Limits): Promise<Uint8Array> {
  const { elems, resolveLast } = parsePath(path);
  try {
    const { mount, rest } = l.paths.resolve(elems, resolveLast);
    const fid = l.paths.directFid(mount);
    if (fid !== undefined) return await getfile(l, fid, rest, resolveLast, lim);
  } catch (e) {
    if (!isMaybeSpecialElem(e)) throw e;
  }
  return withFid(l, elems, resolveLast, lim, (fid, lm) => getfile(l, fid, [], resolveLast, lm));
}

function getfile(
  l: CoreLayers,
  fid: number,
  wnames: string[],
  resolve: boolean,
  lim: Limits,
): Promise<Uint8Array> {
  return l.fids.getfile(fid, wnames, resolve, Mode.OREAD, 0n, MAXGETSET, lim);
}

/** FsLibCore.putFile and setFile: Tputfile of `data` at `offset` with `mode` and `perm`. */
export async function putWholeFile(
  l: CoreLayers,
  path: string,
  perm: number,
  mode: number,
  offset: bigint,
  data: Uint8Array,
  lim: Limits,
): Promise<number> {
  const { elems, resolveLast } = parsePath(path);
  const { dir, base } = lastElem(path, elems);
  try {
    const { mount, rest } = l.paths.resolve(dir, true);
    const fid = l.paths.directFid(mount);
    if (fid !== undefined) {
      return await l.fids.putfile(fid, [...rest, base], resolveLast, mode, perm, offset, data, lim);
    }
  } catch (e) {
    if (!isMaybeSpecialElem(e) && !isErrUnreachable(e)) throw e;
  }
  try {
    return await withFid(l, dir, true, lim, (fid, lm) =>
      l.fids.putfile(fid, [base], resolveLast, mode, perm, offset, data, lm),
    );
  } catch (e) {
    // The last element itself is a symlink to follow: write through it.
    if (!resolveLast || !isSigmaErr(e, ErrCode.NotDir)) throw e;
    return withFid(l, elems, true, lim, (fid, lm) =>
      l.fids.putfile(fid, [], false, mode, perm, offset, data, lm),
    );
  }
}
