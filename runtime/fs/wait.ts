/**
 * A session condition (spec 3.6) for single-threaded code: callers check their state, wait, and
 * check again after waking, so no outside lock is needed unless the state lives elsewhere (then the
 * caller registers the wait under its lock and releases the lock afterwards: `wait` registers
 * synchronously).
 */
import { ErrCode } from "../../generated/sigmap/types.js";
import { SigmaError } from "../errors/index.js";
import type { WaitContext } from "./types.js";

/** The error of a wait whose session closed; obj is the session id in hex. */
export function sessClosedError(session: bigint): SigmaError {
  return new SigmaError(ErrCode.SessClosed, session.toString(16));
}

export class Cond {
  readonly #waiters = new Set<() => void>();

  /** Waiters currently registered. */
  get size(): number {
    return this.#waiters.size;
  }

  /**
   * Parks the request and waits for the next broadcast. Fails with SessClosed if the session is
   * closed already or closes while waiting.
   */
  wait(ctx: WaitContext): Promise<void> {
    if (ctx.signal.aborted) return Promise.reject(sessClosedError(ctx.session));
    ctx.park();
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        this.#waiters.delete(wake);
        reject(sessClosedError(ctx.session));
      };
      const wake = (): void => {
        ctx.signal.removeEventListener("abort", onAbort);
        resolve();
      };
      ctx.signal.addEventListener("abort", onAbort, { once: true });
      this.#waiters.add(wake);
    });
  }

  /** Wakes every waiter (signal and broadcast are the same, spec 3.6). */
  broadcast(): void {
    if (this.#waiters.size === 0) return;
    const woken = [...this.#waiters];
    this.#waiters.clear();
    for (const wake of woken) wake();
  }
}
