/**
 * Mount helpers of FsLib (spec 6.5): registering servers as mount records, reading records back,
 * and resolving union elements to concrete names.
 */
import { ErrCode, Perm, type Tmount } from "../../../generated/sigmap/types.js";
import { SigmaError } from "../../errors/index.js";
import type { CallOpts } from "../call-limits.js";
import type { FsLibCore, LastMount } from "./core.js";
import { getDir } from "./dir-ops.js";
import { decodeMountRecord, encodeMountRecord } from "../path/mount-record.js";
import { isUnionElem, joinPath, splitPath } from "../split-path.js";
import { chooseUnionEntry, type UnionCandidate } from "../path/union-select.js";

/** Mount symlinks are ephemeral: a server's registration vanishes with its session. */
const MOUNT_PERM = (0o755 | Perm.DMTMP | Perm.DMSYMLINK) >>> 0;

/** Writes `mount` as an ephemeral mount-record symlink at `path`, atomically. */
export function mountService(
  fsl: FsLibCore,
  path: string,
  mount: Tmount,
  opts?: CallOpts,
): Promise<void> {
  return fsl.putFileAtomic(path, MOUNT_PERM, encodeMountRecord(mount), opts);
}

/** A trailing `/`: a union entry in `path` named by the first address; else mountService. */
export function mkMountSymlink(
  fsl: FsLibCore,
  path: string,
  mount: Tmount,
  opts?: CallOpts,
): Promise<void> {
  if (!path.endsWith("/")) return mountService(fsl, path, mount, opts);
  const first = mount.addr[0];
  if (first === undefined)
    throw new SigmaError(ErrCode.Inval, path, "invalid argument: no address");
  return mountServiceUnion(fsl, path, mount, first.addr, opts);
}

/** mountService at `dir/name`; `dir` must exist. */
export function mountServiceUnion(
  fsl: FsLibCore,
  dir: string,
  mount: Tmount,
  name: string,
  opts?: CallOpts,
): Promise<void> {
  return mountService(fsl, `${joinPath(splitPath(dir))}/${name}`, mount, opts);
}

/** The mount record stored in the symlink `path` (not followed). */
export async function readMount(fsl: FsLibCore, path: string, opts?: CallOpts): Promise<Tmount> {
  return decodeMountRecord(await fsl.getFile(joinPath(splitPath(path)), opts));
}

/** Replaces the first (or, with `all`, every) union element by the entry it picks. */
export async function resolveUnion(
  fsl: FsLibCore,
  path: string,
  all: boolean,
  opts?: CallOpts,
): Promise<string> {
  const elems = splitPath(path);
  for (let i = 0; i < elems.length; i++) {
    const elem = elems[i] as string;
    if (!isUnionElem(elem)) continue;
    const dir = elems.slice(0, i);
    const candidates: UnionCandidate[] = [];
    for (const st of await getDir(fsl, joinPath(dir) + "/", opts)) {
      try {
        candidates.push({
          name: st.name,
          mount: await readMount(fsl, joinPath([...dir, st.name]), opts),
        });
      } catch {
        // Not a mount record, or gone since the listing: not a candidate.
      }
    }
    const chosen = chooseUnionEntry(elem, candidates, fsl.getLocalIp());
    if (chosen === undefined) throw new SigmaError(ErrCode.Notfound, elem);
    elems[i] = chosen.name;
    if (!all) break;
  }
  return joinPath(elems) + "/";
}

/** Forces the automount of `path` and reports its longest mount. */
export async function pathLastSymlink(
  fsl: FsLibCore,
  path: string,
  opts?: CallOpts,
): Promise<LastMount> {
  await fsl.stat(joinPath(splitPath(path)) + "/", opts);
  return fsl.lastMount(joinPath(splitPath(path)) + "/");
}

/** The mount record that serves `path` and the path below it. */
export async function copyMount(
  fsl: FsLibCore,
  path: string,
  opts?: CallOpts,
): Promise<{ mount: Tmount; rest: string }> {
  const elems = splitPath(path);
  if (elems[0] === "name") return { mount: fsl.namedMount(), rest: joinPath(elems.slice(1)) };
  const resolved = elems.some(isUnionElem) ? await resolveUnion(fsl, path, true, opts) : path;
  const last = await pathLastSymlink(fsl, resolved, opts);
  return { mount: last.mount, rest: last.rest };
}
