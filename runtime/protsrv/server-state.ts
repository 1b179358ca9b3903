/** What protsrv shares across a server's sessions (spec 4.1), and what one request carries. */
import type { Dir, WaitContext } from "../fs/index.js";
import type { logger } from "../log.js";
import type { RequestContext } from "./request-context.js";
import type { FenceTable } from "./fence-table.js";
import type { OverlayRoot } from "./overlay-root.js";
import type { ProtLimits } from "./limits.js";
import type { ObjectLocks } from "./object-locks.js";
import type { SessionState, Sessions } from "./session-state.js";
import type { Stats } from "./stats.js";

export interface ServerState {
  readonly root: OverlayRoot;
  readonly locks: ObjectLocks;
  readonly limits: ProtLimits;
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
