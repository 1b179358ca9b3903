/**
 * The mount table as FsLib's core offers it: mounting a tree or an attached fid, the longest
 * mount of a path, attaching, and unmounting with the session's detach or disconnect. Mount
 * records (the files in named that name a server) are mount-ops.ts, over FsLib's public methods.
 */
import type { Taddr, Tmount } from "../../../generated/sigmap/types.js";
import type { Limits } from "../call-limits.js";
import { netWithTls } from "../path/addr-tls.js";
import { joinPath, parsePath, splitPath } from "../split-path.js";
import type { CoreLayers } from "./core-layers.js";

/** Where a path's longest mount is, as `lastMount` reports it. */
export interface LastMount {
  /** The mount point, e.g. `name/srv`. */
  mountPath: string;
  /** The path after the mount point. */
  rest: string;
  /** The mount record of the mount (addresses and tree). */
  mount: Tmount;
}

/** Mount records for `addrs` (strings get net `net`). */
export function toMount(addrs: readonly (string | Taddr)[], tree: string, net: string): Tmount {
  return {
    addr: addrs.map((a) => (typeof a === "string" ? { addr: a, net } : a)),
    root: tree,
    pubKey: new Uint8Array(0),
  };
}

/** FsLibCore.mountTree. */
export async function mountTree(
  l: CoreLayers,
  addrs: readonly (string | Taddr)[],
  tree: string,
  mountPath: string,
  lim: Limits,
): Promise<void> {
  await l.paths.attachMount(splitPath(mountPath), toMount(addrs, tree, l.recordNet), false, lim);
}

/** FsLibCore.mount. */
export function mountFid(l: CoreLayers, fid: number, path: string): void {
  const st = l.fids.state(fid);
  const t = st.entry.transport;
  const net = t === undefined ? l.recordNet : netWithTls(l.net, t === "tls");
  const mount = toMount(st.entry.addrs, "", net);
  l.paths.mountFid(splitPath(path), fid, mount, st.entry.addrs, false);
}

/** FsLibCore.lastMount. */
export function lastMountOf(l: CoreLayers, path: string): LastMount {
  const { elems, resolveLast } = parsePath(path);
  const { mount, rest } = l.paths.resolve(elems, resolveLast || elems.length === 0);
  return { mountPath: joinPath(mount.path), rest: joinPath(rest), mount: mount.value.mount };
}

/** FsLibCore.attach. */
export async function attachAt(
  l: CoreLayers,
  uname: string,
  addrs: readonly string[],
  mountPath: string,
  tree: string,
  lim: Limits,
): Promise<number> {
  const path = splitPath(mountPath);
  const fid = await l.fids.attach(addrs, uname, tree, path, lim);
  if (path.length > 0) {
    l.paths.mountFid(path, fid, toMount(addrs, tree, l.recordNet), addrs, false);
  }
  return fid;
}

/** FsLibCore.detach (`how` "detach") and disconnect ("disconnect"). */
export async function unmount(
  l: CoreLayers,
  path: string,
  how: "detach" | "disconnect",
): Promise<void> {
  const m = l.paths.unmount(splitPath(path));
  await (how === "detach" ? l.fids.pool.detach(m.entry) : l.fids.pool.disconnect(m.entry));
}
