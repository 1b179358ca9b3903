/**
 * What protsrv needs to know of the request it serves, owned here as fs/types.ts owns WaitContext:
 * the session layer's RequestContext fits it structurally, and protsrv imports nothing of the
 * session room to name it.
 */
import type { Tfence } from "../../generated/sigmap/types.js";
import type { Principal } from "../auth/index.js";

export interface RequestContext {
  /** The session the request belongs to; per-session state (fids, ephemerals) hangs off it. */
  readonly session: bigint;
  /** The request's fence; the null fence has fenceid.path = 0n. */
  readonly fence: Tfence;
  /** Who the session's hello proved it is; null on an open server (docs/security.md). */
  readonly principal: Principal | null;
  /** Aborted when the session closes: a waiting handler must then fail with SessClosed. */
  readonly signal: AbortSignal;
  /** Tells the scheduler this request now waits on another client (the session's next may start). */
  park(): void;
}
