/**
 * The WaitContext a request hands to blocking operations: its session, its park(), and a signal
 * that fires when either the session layer closes the session or protsrv's own detach runs.
 */
import type { WaitContext } from "../fs/index.js";
import type { RequestContext } from "../session/types.js";
import type { SessionState } from "./session-state.js";

export function requestWait(ctx: RequestContext, st: SessionState): WaitContext {
  let signal: AbortSignal | undefined;
  return {
    session: ctx.session,
    park: () => ctx.park(),
    // Combined lazily: most requests never wait.
    get signal(): AbortSignal {
      signal ??= AbortSignal.any([ctx.signal, st.closing.signal]);
      return signal;
    },
  };
}
