/**
 * The WaitContext a request hands to blocking operations: its session, its park(), and a signal
 * that fires when either the session layer closes the session or protsrv's own detach runs.
 */
import type { Principal } from "../auth/index.js";
import type { WaitContext } from "../fs/index.js";
import type { RequestContext } from "./request-context.js";
import type { SessionState } from "./session-state.js";

export function requestWait(ctx: RequestContext, st: SessionState): WaitContext {
  return new RequestWait(ctx, st);
}

// A class, not an object literal with closures: one is made per request, and most never wait.
class RequestWait implements WaitContext {
  readonly #ctx: RequestContext;
  readonly #st: SessionState;
  #signal: AbortSignal | undefined;

  constructor(ctx: RequestContext, st: SessionState) {
    this.#ctx = ctx;
    this.#st = st;
  }

  get session(): bigint {
    return this.#ctx.session;
  }

  get principal(): Principal | null {
    return this.#ctx.principal;
  }

  park(): void {
    this.#ctx.park();
  }

  // Combined lazily: most requests never wait.
  get signal(): AbortSignal {
    this.#signal ??= AbortSignal.any([this.#ctx.signal, this.#st.closing.signal]);
    return this.#signal;
  }
}
