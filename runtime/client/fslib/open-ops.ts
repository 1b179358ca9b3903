/**
 * Opening files in FsLib's core: create, open, and open-or-watch (spec 6.6), each ending in a
 * descriptor of fdclnt; and the watches armed on a path or an open directory.
 */
import { ErrCode } from "../../../generated/sigmap/types.js";
import type { Limits } from "../call-limits.js";
import { isErrNotfound } from "../errors.js";
import { parsePath } from "../split-path.js";
import { clunkQuietly, type CoreLayers, isSigmaErr, lastElem } from "./core-layers.js";
import { observed, type OpenWatchResult, type Watch } from "./watch.js";

/** FsLibCore.create. */
export async function createFile(
  l: CoreLayers,
  path: string,
  perm: number,
  mode: number,
  lim: Limits,
): Promise<number> {
  const { dir, base } = lastElem(path);
  const fid = await l.paths.walk(dir, true, lim);
  try {
    await l.fids.create(fid, base, perm >>> 0, mode, lim);
  } catch (e) {
    await clunkQuietly(l.fids, fid);
    throw e;
  }
  return l.fds.adopt(fid, mode);
}

/** FsLibCore.open. */
export async function openFile(
  l: CoreLayers,
  path: string,
  mode: number,
  lim: Limits,
): Promise<number> {
  const { elems, resolveLast } = parsePath(path);
  const fid = await l.paths.walk(elems, resolveLast, lim);
  try {
    await l.fids.open(fid, mode, lim);
  } catch (e) {
    await clunkQuietly(l.fids, fid);
    throw e;
  }
  return l.fds.adopt(fid, mode);
}

/** FsLibCore.openWatch. */
export async function openOrWatch(
  l: CoreLayers,
  path: string,
  mode: number,
  lim: Limits,
): Promise<OpenWatchResult> {
  try {
    return { kind: "open", fd: await openFile(l, path, mode, lim) };
  } catch (e) {
    if (!isErrNotfound(e)) throw e;
    const { dir } = lastElem(path);
    const dirFid = await l.paths.walk(dir, true, lim).catch(() => {
      throw e;
    });
    try {
      // A cloned mount fid carries the qid of its attach; the watch needs the current one.
      l.fids.state(dirFid).qid = (await l.fids.stat(dirFid, lim)).qid;
      const fd = await openFile(l, path, mode, lim).catch((e2: unknown) => {
        if (!isErrNotfound(e2)) throw e2;
        return undefined;
      });
      if (fd !== undefined) {
        await clunkQuietly(l.fids, dirFid);
        return { kind: "open", fd };
      }
    } catch (e3) {
      await clunkQuietly(l.fids, dirFid);
      throw e3;
    }
    const changed = l.fids.watch(dirFid, lim).then(
      () => undefined,
      (we: unknown) => {
        if (!isSigmaErr(we, ErrCode.Version)) throw we;
      },
    );
    void changed.finally(() => clunkQuietly(l.fids, dirFid)).catch(() => undefined);
    return { kind: "missing", error: e, changed: observed(changed) };
  }
}

/** FsLibCore.setRemoveWatch. */
export async function watchRemoval(l: CoreLayers, path: string, lim: Limits): Promise<Watch> {
  const { elems, resolveLast } = parsePath(path);
  const fid = await l.paths.walk(elems, resolveLast, lim);
  const fired = l.fids.watch(fid, lim);
  void fired.finally(() => clunkQuietly(l.fids, fid)).catch(() => undefined);
  return { fired: observed(fired) };
}
