/** An object's directory-entry size (spec 2.7) from its metadata, without encoding its Stat. */
import { entryBytes, utf8Bytes, type FsObj, type ObjMeta } from "../fs/index.js";

export async function entrySizeOf(obj: FsObj): Promise<number> {
  return entrySizeFrom(obj, await obj.meta());
}

export function entrySizeFrom(obj: FsObj, m: ObjMeta): number {
  return entryBytes({
    perm: obj.perm,
    version: m.version,
    id: obj.id,
    mtime: m.mtime,
    length: m.length,
    nameBytes: utf8Bytes(m.name),
    ownerBytes: utf8Bytes(m.owner),
  });
}
