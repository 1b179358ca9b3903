/** What protsrv shares across a server's sessions (spec 4.1), and what one request carries. */
import type { Dir, FsObj, WaitContext } from "../fs/index.js";
import type { logger } from "../log.js";
import type { RequestContext } from "../session/types.js";
import type { FenceTable } from "./fence-table.js";
import type { OverlayRoot } from "./overlay-root.js";
import type { PathLocks } from "./path-locks.js";
import type { SessionState, Sessions } from "./session-state.js";
import type { Stats } from "./stats.js";

export interface ServerState {
  readonly root: OverlayRoot;
  readonly locks: PathLocks;
  readonly fences: FenceTable;
  readonly stats: Stats;
  readonly sessions: Sessions;
  readonly log: ReturnType<typeof logger>;
}

/** One request in flight. */
export interface Call {
  readonly server: ServerState;
  readonly session: SessionState;
  readonly ctx: RequestContext;
  readonly wait: WaitContext;
}

/** The directory as protsrv must see it: the store's root is seen through the overlay. */
export function dirView(server: ServerState, dir: Dir): Dir {
  return dir.id === server.root.id ? server.root : dir;
}

/**
 * The object's current path from the server root, following parents (an object may have moved
 * since a fid walked to it); undefined once it or a directory above it was removed.
 */
export async function currentPath(server: ServerState, obj: FsObj): Promise<string[] | undefined> {
  const names: string[] = [];
  let o: FsObj = obj;
  while (o.id !== server.root.id) {
    const m = await o.meta();
    if (!m.linked || m.parent === undefined) return undefined;
    names.push(m.name);
    o = m.parent;
  }
  return names.reverse();
}
