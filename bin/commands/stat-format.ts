/**
 * How the fs commands show a Stat. Ids (a qid's path: the object's identity) are hexadecimal
 * with `0x`, in text and in `--json` alike; quantities (length, version, mtime) are decimal, and
 * in JSON 64-bit ones are decimal strings (json-out.ts).
 */
import { QType, type Stat } from "../../generated/sigmap/types.js";
import { printable } from "./printable.js";

export type Kind = "dir" | "file" | "symlink";

export function isDir(st: Stat): boolean {
  return (st.qid.type & QType.QTDIR) !== 0;
}

export function kindOf(st: Stat): Kind {
  return isDir(st) ? "dir" : (st.qid.type & QType.QTSYMLINK) !== 0 ? "symlink" : "file";
}

/** An id as sigma prints it everywhere: `0x1f`. */
export function hexId(id: bigint | number): string {
  return `0x${id.toString(16)}`;
}

export function statJson(st: Stat) {
  return {
    name: st.name,
    type: kindOf(st),
    qid: { type: st.qid.type, version: st.qid.version, path: hexId(st.qid.path) },
    mode: st.mode,
    mtime: st.mtime,
    length: st.length,
    uid: st.uid,
  };
}

export function formatStat(path: string, st: Stat): string {
  const mtime = new Date(st.mtime * 1000).toISOString();
  return printable(
    `${path}: ${kindOf(st)}, ${st.length} bytes, version ${st.qid.version}, ` +
      `id ${hexId(st.qid.path)}, owner ${st.uid || "-"}, mtime ${mtime}`,
  );
}

/** A directory entry as `ls` and `tree` print it: escaped, `/` after directories. */
export function entryName(st: Stat): string {
  return `${printable(st.name)}${isDir(st) ? "/" : ""}`;
}
