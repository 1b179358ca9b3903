/**
 * The session layer (spec 3): sesssrv on the server side, sessclnt on the client side.
 */
export type * from "./server/server-types.js";
export type * from "./client/client-types.js";
export { startSessionServer } from "./server/session-server.js";
export { sessionIdHex } from "./shared/session-id.js";
export { SessionClient, type SessionState } from "./client/session-client.js";
export { AckIntervals, IntervalSet, EMPTY_INTERVAL, type Span } from "./shared/intervals.js";
