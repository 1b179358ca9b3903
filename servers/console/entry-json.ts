/** Stats as the API shows them (api-types.ts): kind and ephemeral flag from the qid type. */
import { QType, type Stat } from "../../generated/sigmap/types.js";
import { joinPath, splitPath } from "../../runtime/client/index.js";
import type { EntryJson, EntryKind } from "./api-types.js";

/** The API entry of the object `st` found at `path`. */
export function entryOf(st: Stat, path: string): EntryJson {
  return {
    name: st.name,
    path,
    kind: kindOf(st.qid.type),
    ephemeral: (st.qid.type & QType.QTTMP) !== 0,
    size: Number(st.length),
    version: st.qid.version,
    owner: st.uid,
    mtime: st.mtime,
    objectId: st.qid.path.toString(16),
    qtype: st.qid.type,
  };
}

/** The path of `name` inside `dir`, without a trailing `/`. */
export function childPath(dir: string, name: string): string {
  return joinPath([...splitPath(dir), name]);
}

/** Directories by QTDIR, symlinks (paths and mount records) by QTSYMLINK, all else a file. */
export function kindOf(qtype: number): EntryKind {
  if ((qtype & QType.QTDIR) !== 0) return "dir";
  if ((qtype & QType.QTSYMLINK) !== 0) return "symlink";
  return "file";
}
