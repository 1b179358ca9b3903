/**
 * One deadline for a whole coordination call. A `down()` or an acquisition makes several requests
 * (and may loop); the caller's `timeoutMs` bounds all of them together, not each one afresh.
 */
import type { CallOpts } from "../client/index.js";

/** Returns the options for the next request: the caller's signal and what is left of its time. */
export function callBudget(opts?: CallOpts): () => CallOpts {
  const signal = opts?.signal;
  const timeoutMs = opts?.timeoutMs;
  if (timeoutMs === undefined) return () => (signal === undefined ? {} : { signal });
  const deadline = Date.now() + timeoutMs;
  // A spent budget becomes timeoutMs 0, which fails the next request with Timeout before sending.
  return () => ({ signal, timeoutMs: Math.max(0, deadline - Date.now()) });
}
