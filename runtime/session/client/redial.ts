/**
 * Which address to dial, in what order, and for how long: the first connection of a session
 * (spec 3.2) and its reconnection and failover (spec 3.8).
 */
import { ErrCode } from "../../../generated/sigmap/types.js";
import { isErr, SigmaError } from "../../errors/index.js";
import type { MessageConn } from "../../net/types.js";
import { Backoff, pause } from "./backoff.js";

/** One connect + hello to `addrs[index]`; rejects with a netclnt DialError. */
export type DialAttempt = (
  index: number,
  resume: boolean,
  timeoutMs: number,
  signal: AbortSignal | undefined,
) => Promise<MessageConn>;

export interface Dialed {
  conn: MessageConn;
  index: number;
}

/**
 * Dials the addresses in order; the first hello that succeeds wins. When none does the session
 * never existed: ProtocolMismatch if any server mismatched (its error names the address and both
 * fingerprints), else Unauthorized if any refused the token, else Unreachable.
 */
export async function dialFirst(
  addrs: readonly string[],
  timeoutMs: number,
  attempt: DialAttempt,
): Promise<Dialed> {
  let mismatch: unknown = undefined;
  let refused: unknown = undefined;
  let last: unknown = undefined;
  for (let index = 0; index < addrs.length; index++) {
    try {
      return { conn: await attempt(index, false, timeoutMs, undefined), index };
    } catch (e) {
      last = e;
      if (mismatch === undefined && isErr(e, ErrCode.ProtocolMismatch)) mismatch = e;
      if (refused === undefined && isErr(e, ErrCode.Unauthorized)) refused = e;
    }
  }
  if (mismatch !== undefined) throw mismatch;
  if (refused !== undefined) throw refused;
  throw new SigmaError(ErrCode.Unreachable, addrs.join(","), undefined, { cause: last });
}

export interface RedialPlan {
  addrs: readonly string[];
  /** The address that failed; it is tried first, since most failures are brief. */
  current: number;
  /** performance.now() after which the session is given up (the reconnect window). */
  deadline: number;
  connectTimeoutMs: number;
  backoffCapMs: number;
  signal: AbortSignal;
}

/**
 * Resumes the session on the current address, then on the others in preference order, in passes
 * separated by backoff. Resolves null when the window closes or `signal` fires; rejects with
 * SessClosed when a server says the session is gone (retrying elsewhere cannot bring it back),
 * and with Unauthorized when a server refuses the token.
 */
export async function redial(plan: RedialPlan, attempt: DialAttempt): Promise<Dialed | null> {
  const order = preferenceOrder(plan.addrs.length, plan.current);
  const backoff = new Backoff(plan.backoffCapMs);
  for (;;) {
    for (const index of order) {
      const left = plan.deadline - performance.now();
      if (plan.signal.aborted || left <= 0) return null;
      try {
        const timeout = Math.min(plan.connectTimeoutMs, left);
        return { conn: await attempt(index, true, timeout, plan.signal), index };
      } catch (e) {
        // A refused token does not get better by retrying (docs/security.md).
        if (isErr(e, ErrCode.SessClosed) || isErr(e, ErrCode.Unauthorized)) throw e;
      }
    }
    const left = plan.deadline - performance.now();
    if (plan.signal.aborted || left <= 0) return null;
    await pause(Math.min(backoff.next(), left), plan.signal);
  }
}

/** `current` first, then every other index in list order. */
export function preferenceOrder(n: number, current: number): number[] {
  const order = [current];
  for (let i = 0; i < n; i++) if (i !== current) order.push(i);
  return order;
}
