/** TreadV and TwriteV (spec 4.6): version-checked reads and writes of any object. */
import {
  ErrCode,
  type Rread,
  type Rwrite,
  type TreadV,
  type TwriteV,
} from "../../generated/sigmap/types.js";
import { SigmaError } from "../errors/index.js";
import { checkVersion, type FsObj, type WaitContext } from "../fs/index.js";
import { fidMay, MAY_READ, MAY_WRITE } from "./access.js";
import { readDir } from "./dir-read.js";
import type { Fid } from "./fid-table.js";
import { maxReadCount } from "./limits.js";
import type { Call } from "./server-state.js";

/** Reads a non-directory object; `version` NoV (or undefined) skips the check. */
export async function readObj(
  obj: FsObj,
  offset: bigint,
  count: number,
  wait: WaitContext,
  version?: number,
): Promise<Uint8Array> {
  switch (obj.kind) {
    case "file":
    case "symlink":
      return obj.read(offset, count, version);
    case "pipe":
      return obj.read(count, wait, version);
    case "device":
      return obj.read(offset, count, wait, version);
    case "dir":
      throw new SigmaError(ErrCode.Isdir, (await obj.meta()).name);
  }
}

/** Writes an object; a directory is Isdir. */
export async function writeObj(
  obj: FsObj,
  offset: bigint,
  data: Uint8Array,
  wait: WaitContext,
  version?: number,
): Promise<number> {
  switch (obj.kind) {
    case "file":
    case "symlink":
      return obj.write(offset, data, version);
    case "pipe":
      return obj.write(data, wait, version);
    case "device":
      return obj.write(offset, data, wait, version);
    case "dir":
      throw new SigmaError(ErrCode.Isdir, (await obj.meta()).name);
  }
}

/**
 * A read returns at most what fits in one reply frame (9P's iounit rule: a read may return fewer
 * bytes than asked), however large the count: a count of 2^32-1 on a large file must not build a
 * reply the session layer cannot send.
 */
export async function readV(c: Call, req: TreadV): Promise<Rread> {
  const f = c.session.fids.get(req.fid);
  if (c.ctx.principal !== null) await fidMay(c.ctx.principal, f, MAY_READ);
  const count = Math.min(req.count, maxReadCount(c.server.limits));
  if (f.obj.kind === "dir") return { data: await readFidDir(f, count, req.version) };
  return { data: await readObj(f.obj, req.offset, count, c.wait, req.version) };
}

export async function writeV(c: Call, req: TwriteV): Promise<Rwrite> {
  const f = c.session.fids.get(req.fid);
  if (f.obj.kind === "dir") throw new SigmaError(ErrCode.Isdir, f.name);
  if (c.ctx.principal !== null) await fidMay(c.ctx.principal, f, MAY_WRITE);
  return { count: await writeObj(f.obj, req.offset, req.data, c.wait, req.version) };
}

async function readFidDir(f: Fid, count: number, version: number): Promise<Uint8Array> {
  if (f.obj.kind !== "dir") throw new Error("not a directory");
  checkVersion((await f.obj.meta()).version, version);
  f.cursor ??= { after: undefined };
  return readDir(f.obj, f.cursor, count);
}
