/** The names an RPC server serves (spec 8), shared by its server and its client. */

/** Opening it for a session creates that session's directory; reading it returns the session id. */
export const CLONE = "clone-rpc";
/** The RPC device in a session's directory: one Twriteread per call. */
export const DATA = "data-rpc";
/** In a session's directory: reads as the session id in hex. */
export const CTL = "ctl";
/** Per-method call counts and latencies, as JSON. */
export const STATS = "stats";

/** `<S>-rpc`, S the session id in hex, as sessionIdHex spells it in errors. */
export function sessionDirName(session: bigint): string {
  return `${session.toString(16)}-rpc`;
}
