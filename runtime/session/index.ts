/**
 * The session layer (spec 3): sesssrv on the server side, sessclnt on the client side.
 */
export type * from "./types.js";
export { startSessionServer } from "./session-server.js";
export { sessionIdHex } from "./session-id.js";
export { SessionClient, type SessionState } from "./session-client.js";
export { AckIntervals, IntervalSet, EMPTY_INTERVAL, type Span } from "./intervals.js";
