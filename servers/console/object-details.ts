/** An object's details: its stat and, for a symlink, what it holds (a path or a mount record). */
import { decodeSymlink, type FsLib } from "../../runtime/client/index.js";
import { errorText } from "../../runtime/errors/index.js";
import type { DetailsJson, SymlinkJson } from "./api-types.js";
import { entryOf } from "./entry-json.js";

export async function objectDetails(
  fsl: FsLib,
  path: string,
  timeoutMs: number,
): Promise<DetailsJson> {
  const opts = { timeoutMs };
  const st = await fsl.stat(path, opts);
  const entry = entryOf(st, path);
  if (entry.kind !== "symlink") return { entry };
  // Without a trailing `/` getFile reads the symlink itself, not what it points to.
  const raw = await fsl.getFile(path.replace(/\/+$/, ""), opts);
  return { entry, symlink: symlinkJson(raw) };
}

/** A symlink's content as the API shows it; a damaged record says why. */
export function symlinkJson(raw: Uint8Array): SymlinkJson {
  try {
    const t = decodeSymlink(raw);
    if (t.kind === "path") return { kind: "path", target: t.target };
    return {
      kind: "mount",
      addrs: t.mount.addr.map((a) => ({ addr: a.addr, net: a.net })),
      root: t.mount.root,
    };
  } catch (e) {
    return { kind: "bad", error: errorText(e) };
  }
}
