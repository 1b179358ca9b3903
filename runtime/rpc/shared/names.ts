/** The names an RPC server serves (spec 8), shared by its server and its client. */

/** Opening it for a session creates that session's directory; reading it returns its token. */
export const CLONE = "clone-rpc";
/** The RPC device in a session's directory: one Twriteread per call. */
export const DATA = "data-rpc";
/** In a session's directory: reads as the directory's token. */
export const CTL = "ctl";
/** Per-method call counts and latencies, as JSON. */
export const STATS = "stats";

/**
 * `<T>-rpc`, T the per-session token `clone-rpc` returns. Not the session id: anyone may list the
 * server's root, and a session id is half of what resuming a session takes.
 */
export function sessionDirName(token: string): string {
  return `${token}-rpc`;
}
