/**
 * Walking names from an object (spec 4.4). A special element ends the walk without an error:
 * walking through a non-directory (NotDir naming it), or a missing name starting with `~` (a
 * union element, Notfound naming it). Any other missing name is an error.
 *
 * A walk takes no locks (docs/protsrv.md): each lookup is one atomic read of the store, and a
 * walk was never atomic as a whole (once past an element, that element can be renamed). So a
 * walk costs one lookup per element, linear in its length, which `maxWalkNames` caps.
 */
import { ErrCode, type Tqid } from "../../generated/sigmap/types.js";
import { SigmaError } from "../errors/index.js";
import type { Principal } from "../auth/index.js";
import type { FsObj } from "../fs/index.js";
import { MAY_SEARCH, need } from "./access.js";
import { qidOf } from "./qid-stat.js";
import { dirView, type ServerState } from "./server-state.js";

export interface WalkResult {
  /** The last object reached. */
  obj: FsObj;
  /** The last name walked ("." adds nothing), or the start's name when none was; for errors. */
  name: string;
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
  /** Who walks: each directory walked through needs x (search). Null or absent: no checks. */
  who?: Principal | null;
}

export async function walk(
  server: ServerState,
  start: FsObj,
  startName: string,
  names: readonly string[],
  opts: WalkOptions = {},
): Promise<WalkResult> {
  checkWalkLength(server, names);
  const wantQids = opts.qids !== false;
  const who = opts.who ?? null;
  let obj = start;
  let name = startName;
  const qids: Tqid[] = [];
  for (const elem of names) {
    if (obj.kind !== "dir") {
      return { obj, name, qids, stop: new SigmaError(ErrCode.NotDir, name) };
    }
    if (elem === ".") {
      if (wantQids) qids.push(await qidOf(obj));
      continue;
    }
    if (who !== null) await need(who, obj, MAY_SEARCH, name);
    const next = elem === ".." ? undefined : await dirView(server, obj).lookup(elem);
    if (next === undefined) {
      const err = new SigmaError(ErrCode.Notfound, elem);
      if (elem.startsWith("~")) return { obj, name, qids, stop: err };
      throw err;
    }
    obj = next.kind === "dir" ? dirView(server, next) : next;
    name = elem;
    if (wantQids) qids.push(await qidOf(obj));
  }
  return { obj, name, qids, stop: undefined };
}

/** A walk where a special element is an error too (attach, the combined operations). */
export async function walkAll(
  server: ServerState,
  start: FsObj,
  startName: string,
  names: readonly string[],
  opts: WalkOptions = {},
): Promise<WalkResult> {
  const r = await walk(server, start, startName, names, opts);
  if (r.stop !== undefined) throw r.stop;
  return r;
}

/** Inval before any work when a walk names more than `maxWalkNames` elements. */
export function checkWalkLength(server: ServerState, names: readonly string[]): void {
  const max = server.limits.maxWalkNames;
  if (names.length <= max) return;
  throw new SigmaError(
    ErrCode.Inval,
    "walk too long",
    `invalid argument: walk too long: ${names.length} names, at most maxWalkNames (${max})`,
  );
}
