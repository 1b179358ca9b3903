/** The whole tree under a directory as one comparable value: names, owners, perms, contents. */
import { Perm } from "../../generated/sigmap/types.js";
import type { FsLib } from "../../runtime/client/fslib/fslib.js";

export interface Entry {
  path: string;
  uid: string;
  mode: number;
  version: number;
  content: string | null;
}

/** Walks `dir` depth-first in name order (through `fsl`, which must be allowed to read all). */
export async function snapshot(fsl: FsLib, dir: string): Promise<Entry[]> {
  const out: Entry[] = [];
  const stats = (await fsl.getDir(dir)).sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const st of stats) {
    const path = `${dir}/${st.name}`;
    const isDir = (st.mode & Perm.DMDIR) !== 0;
    const isFile =
      (st.mode & (Perm.DMDIR | Perm.DMSYMLINK | Perm.DMDEVICE | Perm.DMNAMEDPIPE)) === 0;
    out.push({
      path,
      uid: st.uid,
      mode: st.mode,
      version: st.qid.version,
      content: isFile ? new TextDecoder().decode(await fsl.getFile(path)) : null,
    });
    if (isDir) out.push(...(await snapshot(fsl, path)));
  }
  return out;
}
