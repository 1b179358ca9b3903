/**
 * Walking names from an object (spec 4.4), hand over hand under path locks. A special element
 * ends the walk without an error: walking through a non-directory (NotDir naming it), or a missing
 * name starting with `~` (a union element, Notfound naming it). Any other missing name is an error.
 */
import { ErrCode, type Tqid } from "../../generated/sigmap/types.js";
import { SigmaError } from "../errors/index.js";
import type { FsObj } from "../fs/index.js";
import { lastName } from "./names.js";
import { childKey, pathKey } from "./path-locks.js";
import { qidOf } from "./qid-stat.js";
import { dirView, type ServerState } from "./server-state.js";

export interface WalkResult {
  /** The last object reached. */
  obj: FsObj;
  /** Its path from the server root ("." elements add nothing). */
  path: string[];
  /** One qid per element walked; empty when the walk was asked for none. */
  qids: Tqid[];
  /** Why the walk stopped early at a special element; undefined when every name was walked. */
  stop: SigmaError | undefined;
}

export interface WalkOptions {
  /**
   * Collect a qid per element (default true). The combined operations never reply with them, and
   * each costs a metadata read.
   */
  qids?: boolean;
}

export async function walk(
  server: ServerState,
  start: FsObj,
  startPath: readonly string[],
  names: readonly string[],
  opts: WalkOptions = {},
): Promise<WalkResult> {
  const locks = server.locks;
  const wantQids = opts.qids !== false;
  let obj = start;
  // The walk's own copy: it grows by one element per step and is handed out only at the end.
  const path = startPath.slice();
  let key = pathKey(path);
  const qids: Tqid[] = [];
  let held = locks.tryLockKey(key) ?? (await locks.lockKey(key));
  try {
    for (const name of names) {
      if (obj.kind !== "dir") {
        return { obj, path, qids, stop: new SigmaError(ErrCode.NotDir, lastName(path)) };
      }
      if (name === ".") {
        if (wantQids) qids.push(await qidOf(obj));
        continue;
      }
      const next = name === ".." ? undefined : await dirView(server, obj).lookup(name);
      if (next === undefined) {
        const err = new SigmaError(ErrCode.Notfound, name);
        if (name.startsWith("~")) return { obj, path, qids, stop: err };
        throw err;
      }
      // Hand over hand: the child's lock is taken while the parent's is still held.
      key = childKey(key, name);
      const childHeld = locks.tryLockKey(key) ?? (await locks.lockKey(key));
      held.release();
      held = childHeld;
      obj = next.kind === "dir" ? dirView(server, next) : next;
      path.push(name);
      if (wantQids) qids.push(await qidOf(obj));
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
  opts: WalkOptions = {},
): Promise<WalkResult> {
  const r = await walk(server, start, startPath, names, opts);
  if (r.stop !== undefined) throw r.stop;
  return r;
}
