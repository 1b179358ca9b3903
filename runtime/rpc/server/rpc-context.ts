import type { Principal } from "../../auth/index.js";

/** What a handler learns about its call: generated handler interfaces take it as `ctx`. */
export interface RpcContext {
  /**
   * The session that made the call. A client spreading calls over several sessions shares one
   * per-session directory, so this is not always the directory's session.
   */
  readonly session: bigint;
  /** Who the calling session proved it is; null on an open server (docs/security.md). */
  readonly principal: Principal | null;
  /** The method as the call carried it, e.g. `Echo.Echo`. */
  readonly method: string;
  /** Aborted when the calling session ends: a handler that waits should give up then. */
  readonly signal: AbortSignal;
}
