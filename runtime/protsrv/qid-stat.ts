/**
 * Qids, Stats and directory entries of objects, always current (spec 4.3, 4.5, 2.7).
 */
import { encodeStat } from "../../generated/sigmap/codec.js";
import { Perm, type Stat, type Tqid } from "../../generated/sigmap/types.js";
import type { FsObj, ObjMeta } from "../fs/index.js";
import { pack } from "../wire/index.js";

/** Directory entries fetched per store call while listing. */
export const LIST_BATCH = 128;

export function qidFrom(obj: FsObj, meta: ObjMeta): Tqid {
  return { type: (obj.perm >>> 24) & 0xff, version: meta.version, path: obj.id };
}

export async function qidOf(obj: FsObj): Promise<Tqid> {
  return qidFrom(obj, await obj.meta());
}

/**
 * Deviation 9: the real name and version. Mode is 0777 plus DMDIR for directories; other type
 * bits appear only in qid.type. A directory's length is the byte size of its full listing (each
 * entry's 4-byte length prefix and encoded Stat), which is the sum the spec asks for plus the
 * prefixes that a reader must budget for; the store keeps it (ObjMeta.length), so a stat costs
 * the same for a directory of 100,000 entries as for an empty one.
 */
export async function statOf(obj: FsObj): Promise<Stat> {
  const meta = await obj.meta();
  const isDir = obj.kind === "dir";
  return {
    type: 0,
    dev: 0,
    qid: qidFrom(obj, meta),
    mode: isDir ? (Perm.DMDIR | 0o777) >>> 0 : 0o777,
    atime: 0,
    mtime: meta.mtime,
    length: meta.length,
    name: meta.name,
    uid: meta.owner,
    gid: meta.owner,
    muid: "",
  };
}

/** One directory entry on the wire: a 4-byte big-endian length, then the MessagePack Stat. */
export async function encodeEntry(obj: FsObj): Promise<Uint8Array> {
  const body = pack(encodeStat(await statOf(obj)));
  const out = new Uint8Array(4 + body.length);
  new DataView(out.buffer).setUint32(0, body.length);
  out.set(body, 4);
  return out;
}
