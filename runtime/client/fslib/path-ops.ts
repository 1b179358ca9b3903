/**
 * Path operations of FsLib's core: stat, remove and rename, each by the fewest requests the
 * mounts allow, dropping the mounts a remove or rename made stale.
 */
import { QType, Perm, type Stat, type Tqid } from "../../../generated/sigmap/types.js";
import type { Limits } from "../call-limits.js";
import { isErrUnreachable, isMaybeSpecialElem } from "../errors.js";
import { sessionKey } from "../fid/session-pool.js";
import { joinPath, parsePath, splitPath } from "../split-path.js";
import { clunkQuietly, type CoreLayers, lastElem, withFid } from "./core-layers.js";

/** FsLibCore.stat. */
export async function statPath(l: CoreLayers, path: string, lim: Limits): Promise<Stat> {
  const { elems, resolveLast } = parsePath(path);
  const m = resolveLast ? undefined : l.paths.mounts.exact(elems);
  if (m !== undefined) {
    return mountStat(sessionKey(m.value.addrs), m.value.qid);
  }
  return withFid(l, elems, resolveLast, lim, (fid, lm) => l.fids.stat(fid, lm));
}

/** FsLibCore.remove. */
export async function removePath(l: CoreLayers, path: string, lim: Limits): Promise<void> {
  const { elems, resolveLast } = parsePath(path);
  try {
    const { mount, rest } = l.paths.resolve(elems, resolveLast);
    const fid = l.paths.directFid(mount);
    if (fid !== undefined) {
      await l.fids.removefile(fid, rest, resolveLast, lim);
      l.paths.dropLearnedMounts(elems);
      return;
    }
  } catch (e) {
    if (!isMaybeSpecialElem(e) && !isErrUnreachable(e)) throw e;
  }
  await withFid(l, elems, resolveLast, lim, (fid, lm) => l.fids.remove(fid, lm));
  l.paths.dropLearnedMounts(elems);
}

/** FsLibCore.rename. */
export async function renamePath(
  l: CoreLayers,
  from: string,
  to: string,
  lim: Limits,
): Promise<void> {
  const src = lastElem(from);
  const dst = lastElem(to);
  if (joinPath(src.dir) === joinPath(dst.dir)) {
    await withFid(l, splitPath(from), false, lim, (fid, lm) =>
      l.fids.wstat(fid, renameStat(dst.base), lm),
    );
  } else {
    // Both parents are walked at once and clunked at once: three round trips instead of five,
    // with the same outcome (the source's walk error first, then the target's).
    const walkFrom = l.paths.walk(src.dir, true, lim);
    const walkInto = l.paths.walk(dst.dir, true, lim);
    let oldDir: number;
    try {
      oldDir = await walkFrom;
    } catch (e) {
      // Not waited for: the source's error is the answer, whatever the target's walk does.
      walkInto.then((fid) => clunkQuietly(l.fids, fid)).catch(() => undefined);
      throw e;
    }
    let newDir: number;
    try {
      newDir = await walkInto;
    } catch (e) {
      await clunkQuietly(l.fids, oldDir);
      throw e;
    }
    try {
      await l.fids.renameat(oldDir, src.base, newDir, dst.base, lim);
    } finally {
      await Promise.all([clunkQuietly(l.fids, oldDir), clunkQuietly(l.fids, newDir)]);
    }
  }
  // Both names changed meaning: `from` is gone and `to` holds what `from` held.
  l.paths.dropLearnedMounts(splitPath(from));
  l.paths.dropLearnedMounts(splitPath(to));
}

function renameStat(name: string): Stat {
  return {
    type: 0,
    dev: 0,
    qid: { type: 0, version: 0, path: 0n },
    mode: 0,
    atime: 0,
    mtime: 0,
    length: 0n,
    name,
    uid: "",
    gid: "",
    muid: "",
  };
}

function mountStat(name: string, qid: Tqid): Stat {
  const dir = (qid.type & QType.QTDIR) !== 0;
  return { ...renameStat(name), qid, mode: dir ? (Perm.DMDIR | 0o777) >>> 0 : 0o777 };
}
