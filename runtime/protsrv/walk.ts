/**
 * Walking names from an object (spec 4.4), hand over hand under path locks. A special element
 * ends the walk without an error: walking through a non-directory (NotDir naming it), or a missing
 * name starting with `~` (a union element, Notfound naming it). Any other missing name is an error.
 */
import { ErrCode, type Tqid } from "../../generated/sigmap/types.js";
import { SigmaError } from "../errors/index.js";
import type { FsObj } from "../fs/index.js";
import { lastName } from "./names.js";
import { qidOf } from "./qid-stat.js";
import { dirView, type ServerState } from "./server-state.js";

export interface WalkResult {
  /** The last object reached. */
  obj: FsObj;
  /** Its path from the server root ("." elements add nothing). */
  path: string[];
  /** One qid per element walked. */
  qids: Tqid[];
  /** Why the walk stopped early at a special element; undefined when every name was walked. */
  stop: SigmaError | undefined;
}

export async function walk(
  server: ServerState,
  start: FsObj,
  startPath: readonly string[],
  names: readonly string[],
): Promise<WalkResult> {
  let obj = start;
  let path = [...startPath];
  const qids: Tqid[] = [];
  let held = await server.locks.lock(path);
  try {
    for (const name of names) {
      if (obj.kind !== "dir") {
        return { obj, path, qids, stop: new SigmaError(ErrCode.NotDir, lastName(path)) };
      }
      if (name === ".") {
        qids.push(await qidOf(obj));
        continue;
      }
      const next = name === ".." ? undefined : await dirView(server, obj).lookup(name);
      if (next === undefined) {
        const err = new SigmaError(ErrCode.Notfound, name);
        if (name.startsWith("~")) return { obj, path, qids, stop: err };
        throw err;
      }
      const childPath = [...path, name];
      const childHeld = await server.locks.lock(childPath);
      held.release();
      held = childHeld;
      obj = next.kind === "dir" ? dirView(server, next) : next;
      path = childPath;
      qids.push(await qidOf(obj));
    }
    return { obj, path, qids, stop: undefined };
  } finally {
    held.release();
  }
}

/** A walk where a special element is an error too (attach, the combined operations). */
export async function walkAll(
  server: ServerState,
  start: FsObj,
  startPath: readonly string[],
  names: readonly string[],
): Promise<WalkResult> {
  const r = await walk(server, start, startPath, names);
  if (r.stop !== undefined) throw r.stop;
  return r;
}
