/**
 * Watches as the application sees them (spec 6.6): one-shot promises.
 */
import type { SigmaError } from "../../errors/index.js";

/**
 * An armed watch. `fired` resolves when the watched path changes (Rwatch) and rejects with
 * Version (it had already changed between walk and watch: re-check), SessClosed, Timeout or
 * Aborted. One-shot: re-read the state afterwards and arm a new watch if needed.
 */
export interface Watch {
  fired: Promise<void>;
}

/**
 * The result of `openWatch`: the open descriptor, or the file is missing and `changed` settles
 * once the parent directory changes (it resolves on Rwatch and also when the directory had already
 * changed, i.e. on Version; it rejects on SessClosed, Timeout, Aborted).
 */
export type OpenWatchResult =
  { kind: "open"; fd: number } | { kind: "missing"; error: SigmaError; changed: Promise<void> };

/** Marks `p` handled so an unobserved rejection cannot crash the process; callers still see it. */
export function observed<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}
